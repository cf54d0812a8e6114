// The docker driver: converges a Docker or Podman host (Docker Engine API) to Container, Network and Volume resources.
export { createDockerDriver } from './driver.js';
export type { ImageFacts } from './images.js';
export {
  type ContainerSpec,
  containerKind,
  dockerKinds,
  type NetworkSpec,
  networkKind,
  type VolumeSpec,
  volumeKind,
} from './kinds/index.js';
export { LABEL } from './labels.js';
export { type DockerOptions, parseDockerOptions } from './options.js';
