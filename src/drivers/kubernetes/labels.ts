/** Labels and annotations the kubernetes driver puts on every object it applies. */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGER = 'wheelhouse';
/** Field manager of every server-side apply. */
export const FIELD_MANAGER = 'wheelhouse';

export const LABEL = {
  app: 'wheelhouse/app',
  target: 'wheelhouse/target',
} as const;

export const ANNOTATION = {
  /** The resource key the object was applied for (maps a watched object back to its resource). */
  key: 'wheelhouse/key',
  /** Hooks: the app digest the hook ran for. */
  digest: 'wheelhouse/digest',
  /** Manifests: `PreSync` or `PostSync` makes the object a hook. */
  hook: 'wheelhouse/hook',
} as const;

/** The label selector of everything one target of Wheelhouse manages. */
export function managedSelector(target: string): string {
  return `${MANAGED_BY}=${MANAGER},${LABEL.target}=${target}`;
}

/** Labels and annotations the driver adds; stripped again from what it reports as live. */
export const OWN_LABELS: readonly string[] = [MANAGED_BY, LABEL.app, LABEL.target];
export const OWN_ANNOTATIONS: readonly string[] = [ANNOTATION.key, ANNOTATION.digest];
