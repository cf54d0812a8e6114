/**
 * An image update policy of an app (`images:` in wheelhouse.yaml): which image repository, where
 * its registry is, how the newest acceptable version is chosen, and how often to look.
 */
export interface ImagePolicy {
  /** The repository as the app's manifests write it, without tag: `127.0.0.1:5000/shop/web`. */
  image: string;
  /** The registry's base URL (`https://registry.example.com`). */
  registry: string;
  /** The path of the repository on that registry (`shop/web`, `library/nginx`). */
  repository: string;
  rule: ImageRule;
  intervalMs: number;
  /** Registry credentials by env var names (never the values). */
  credentials?: { usernameEnv: string; passwordEnv: string };
  /** Helm apps: the values path holding the tag, and the values file (default: the first one). */
  helmValues?: { path: string; file?: string };
}

export type ImageRule =
  | { kind: 'semver'; range: string }
  | { kind: 'regex'; pattern: string; order: 'alphabetical' | 'numerical' }
  | { kind: 'digest'; tag: string };
