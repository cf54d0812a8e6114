/**
 * Why a suite that needs a system component cannot run, for `describe.skipIf(reason !== undefined)`.
 *
 * Returns undefined when the component is present. When it is missing: on a developer machine the
 * suite is skipped with a reason that names the component and how to install it; in CI (`CI` set)
 * it throws instead, because a suite never passes in CI by skipping — `.ci/run` must install it.
 */
export function missingComponent(what: string, installHint: string, present: boolean): string | undefined {
  if (present) return undefined;
  const message = `${what} not installed; install with: ${installHint}`;
  if (process.env.CI) {
    throw new Error(`${message} (CI never skips a suite for a missing component: add it to .ci/run)`);
  }
  console.warn(`[${what}] tests skipped: ${message}`);
  return message;
}
