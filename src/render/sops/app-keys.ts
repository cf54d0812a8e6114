import type { AppSpec } from '../../core/index.js';
import type { SopsOptions } from './decrypt.js';

/**
 * sops options for one app. Without `sops.keys` the app uses the server-wide keys (`base`). With
 * them, sops sees only the age identities those environment variables hold (as `SOPS_AGE_KEY`),
 * plus `GNUPGHOME` for PGP: one team's app cannot open files encrypted for another team's key.
 * Names that are not set are reported when a SOPS file needs them.
 */
export function sopsOptionsForApp(app: Pick<AppSpec, 'name' | 'sops'>, base: SopsOptions): SopsOptions {
  const names = app.sops?.keys;
  if (!names) return base;
  const unset = names.filter((name) => !base.env[name]?.trim());
  const identities = names.flatMap((name) => base.env[name]?.trim() || []);
  const env: Record<string, string | undefined> = { GNUPGHOME: base.env.GNUPGHOME };
  if (identities.length > 0) env.SOPS_AGE_KEY = identities.join('\n');
  const options: SopsOptions = {
    ...base,
    env,
    keySource: `the variable${names.length === 1 ? '' : 's'} ${names.join(', ')} (sops.keys of app ${app.name})`,
  };
  if (unset.length > 0)
    options.unsetKeys = `app ${app.name}: sops.keys names ${unset.join(', ')}, which ${unset.length === 1 ? 'is' : 'are'} not set in the Wheelhouse server's environment: set ${unset.length === 1 ? 'it' : 'them'} to the age identity (the AGE-SECRET-KEY-1… line of the key file) and restart, or remove the name from wheelhouse.yaml`;
  return options;
}
