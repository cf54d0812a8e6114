import type { FileSources } from './secrets-configs.js';

/** Top-level networks and volumes a service may refer to, by their compose key. */
export interface NamedObject {
  /** Resource name (the compose key) or, for external objects, the engine's name. */
  name: string;
  external: boolean;
  /** Declared, but its name was refused (already reported): uses of it stay silent. */
  unusable?: true;
}

export interface ProjectRefs {
  networks: ReadonlyMap<string, NamedObject>;
  volumes: ReadonlyMap<string, NamedObject>;
  secrets?: FileSources;
  configs?: FileSources;
  /** The compose file's directory in the repository (relative bind mounts start there). */
  dir?: string;
}
