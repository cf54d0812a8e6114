import type { ForeignManifests, KindDefinition } from './driver.js';

/** Which kinds each driver serves; built from the registered drivers, used to validate manifests. */
export interface KindRegistry {
  /** Kinds served by a driver (empty for an unknown driver). */
  kindsFor(driver: string): readonly KindDefinition[];
  /** Drivers that serve a kind (for "kind X is served by driver Y" errors). */
  driversServing(kind: string): string[];
  /** How a driver reads its platform's own manifests, when it takes them (Kubernetes). */
  foreignFor?(driver: string): ForeignManifests | undefined;
}
