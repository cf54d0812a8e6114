/**
 * What the app header says about its sync policy, both halves: whether new commits are applied
 * by themselves (auto-sync) and whether drift on the target is put back (self-heal). An
 * OutOfSync app with auto-sync on and self-heal off is waiting for a person, not stuck. Pure.
 */
export function syncPolicyTags(app: { autoSync: boolean; selfHeal: boolean; locked: boolean }): string[] {
  if (!app.autoSync) return ['manual sync'];
  if (app.locked) return ['auto-sync paused by the lock'];
  return ['auto-sync on', !app.selfHeal ? 'self-heal off: drift stays until a sync' : 'self-heal on'];
}
