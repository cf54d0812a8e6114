// The kinds the docker driver serves: Container, Network, Volume (schemas, defaults, order).
import type { KindDefinition } from '../../../core/index.js';
import { containerKind } from './container.js';
import { networkKind } from './network.js';
import { volumeKind } from './volume.js';

export {
  type ContainerSpec,
  containerKind,
  containerSchema,
  type MountSpec,
  type PortSpec,
} from './container.js';
export { parseWith } from './define-kind.js';
export { type NetworkSpec, networkKind, networkSchema } from './network.js';
export { type VolumeSpec, volumeKind, volumeSchema } from './volume.js';

export const dockerKinds: readonly KindDefinition[] = [networkKind, volumeKind, containerKind];
