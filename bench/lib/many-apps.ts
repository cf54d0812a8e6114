/** Environments the generated apps cycle through, so an environment filter keeps a third. */
export const MANY_APPS_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** The name of generated app `i`: `app-00042`, sorted as numbered. */
export const manyAppName = (i: number): string => `app-${String(i).padStart(5, '0')}`;

/**
 * A control repo's files declaring `count` cheap apps: each one File, auto-sync off (nothing runs,
 * so the figures are about listing and showing them), with `environments` cycling through
 * MANY_APPS_ENVIRONMENTS, and an `interval` when given (`1h`: no periodic checks during a bench).
 */
export function manyFileApps(
  count: number,
  { environments = true, interval }: { environments?: boolean; interval?: string } = {},
): Record<string, string> {
  const files: Record<string, string> = {};
  const apps: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = manyAppName(i);
    const environment = environments
      ? `environment: ${MANY_APPS_ENVIRONMENTS[i % MANY_APPS_ENVIRONMENTS.length]}, `
      : '';
    const every = interval ? `interval: ${interval}, ` : '';
    apps.push(`  - { name: ${name}, path: apps/${name}, ${environment}${every}sync: { auto: false } }`);
    files[`apps/${name}/config.yaml`] =
      `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: config }\nspec:\n  path: ${name}/config.txt\n  content: "hello ${i}"\n`;
  }
  files['wheelhouse.yaml'] = `apps:\n${apps.join('\n')}\n`;
  return files;
}
