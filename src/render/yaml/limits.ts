/** Bounds that keep hostile YAML (huge files, alias bombs, deep nesting) from hurting the engine. */
export interface YamlLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Deepest nesting of collections, counted after aliases are expanded. */
  maxDepth: number;
  /** Most alias nodes (`*name`) in one document. */
  maxAliasCount: number;
  /** Most values (scalars and collections) in one document after aliases are expanded. */
  maxNodes: number;
  /**
   * Most bytes of text (keys and scalars) in one document after aliases are expanded: a few
   * aliases of one large string stay under `maxNodes` yet make every copy, hash and diff huge.
   */
  maxExpandedBytes: number;
  /** Most syntax errors reported per file (the rest are summarized: they are usually echoes). */
  maxSyntaxIssues: number;
}

export const DEFAULT_YAML_LIMITS: Readonly<YamlLimits> = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliasCount: 1000,
  maxNodes: 100_000,
  maxExpandedBytes: 4 * 1024 * 1024,
  maxSyntaxIssues: 20,
};

/**
 * wheelhouse.yaml declares every app, so it grows with them: 10,000 apps with an environment, a
 * sync policy and an interval are about 1.3 MB and 110,000 values, over the limits of one
 * manifest. Only people who may push to the control repo write it.
 */
export const CONTROL_YAML_LIMITS: Readonly<YamlLimits> = {
  ...DEFAULT_YAML_LIMITS,
  maxBytes: 16 * 1024 * 1024,
  maxNodes: 2_000_000,
  maxExpandedBytes: 64 * 1024 * 1024,
};
