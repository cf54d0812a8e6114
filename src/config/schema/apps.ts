import { z } from 'zod';
import { APP_DEFAULTS } from '../defaults.js';
import {
  dnsLabel,
  duration,
  envName,
  gitRef,
  label,
  optional,
  repoPath,
  repoUrl,
  strictObject,
  text,
} from './fields.js';
import { imagesSchema } from './images.js';
import { helmSchema, kustomizeSchema } from './render-tools.js';

/** `targets:` entries: a driver plus driver-specific options (validated by the driver). */
export const targetSchema = z.looseObject({ driver: text('driver') });

const authSchema = strictObject({
  usernameEnv: optional(envName()),
  passwordEnv: optional(envName()),
  sshKeyFile: optional(text('sshKeyFile')),
  sshKeyFileEnv: optional(envName()),
  knownHostsFile: optional(text('knownHostsFile')),
}).superRefine((auth, ctx) => {
  if (auth.sshKeyFile !== undefined && auth.sshKeyFileEnv !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['sshKeyFileEnv'],
      message: 'give either sshKeyFile or sshKeyFileEnv, not both',
      params: { at: 'key' },
    });
  }
});

/** `source.verify:` which signatures a revision needs before it is applied. */
const verifySchema = strictObject({
  mode: z.enum(['gpg', 'ssh', 'any'], { message: 'must be gpg, ssh or any' }),
  gpgKeys: optional(z.array(text('gpgKeys entry'))),
  allowedSigners: optional(text('allowedSigners')),
  commits: optional(z.enum(['tip', 'every'], { message: 'must be tip or every' })),
}).superRefine((verify, ctx) => {
  const gpg = (verify.gpgKeys?.length ?? 0) > 0;
  const ssh = verify.allowedSigners !== undefined;
  const missing =
    verify.mode === 'gpg' && !gpg
      ? 'mode gpg needs gpgKeys: the armored public keys to trust (files in the control repo or absolute paths)'
      : verify.mode === 'ssh' && !ssh
        ? 'mode ssh needs allowedSigners: an allowed-signers file (in the control repo or an absolute path)'
        : verify.mode === 'any' && !gpg && !ssh
          ? 'mode any needs gpgKeys, allowedSigners or both'
          : undefined;
  if (missing) ctx.addIssue({ code: 'custom', path: ['mode'], message: missing });
});

const sourceSchema = strictObject({
  repo: optional(repoUrl()),
  ref: optional(gitRef()),
  auth: optional(authSchema),
  protected: optional(z.boolean()),
  verify: optional(verifySchema),
}).superRefine((source, ctx) => {
  if (source.repo !== undefined && source.ref === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['ref'],
      message:
        'a source with its own repo needs a ref — add `ref: main` (a branch, tag, semver range or commit sha)',
    });
  }
});

const syncSchema = strictObject({
  auto: optional(z.boolean()),
  prune: optional(z.boolean()),
  selfHeal: optional(z.boolean()),
  allowEmpty: optional(z.boolean()),
  timeout: optional(duration(1_000)),
  retries: optional(z.number().int().min(0).max(100)),
});

/** A JSON pointer into an object (RFC 6901), e.g. `/spec/replicas`. */
const jsonPointer = z.string().regex(/^(\/([^~]|~[01])*)+$/, {
  message: 'must be a JSON pointer into the object, e.g. /spec/replicas (escape / as ~1 and ~ as ~0)',
});

/** `ignoreDifferences:` entries (kubernetes targets): fields another controller owns. */
const ignoreDifferencesSchema = strictObject({
  group: optional(z.string()),
  kind: optional(text('kind')),
  name: optional(text('name')),
  namespace: optional(text('namespace')),
  jsonPointers: z.array(jsonPointer).min(1, { message: 'list at least one field, e.g. [/spec/replicas]' }),
});

export const appSchema = strictObject({
  name: dnsLabel('app name'),
  path: repoPath(),
  target: optional(dnsLabel('target')),
  environment: optional(label('environment')),
  interval: optional(duration(APP_DEFAULTS.minIntervalMs)),
  sync: optional(syncSchema),
  source: optional(sourceSchema),
  ignoreDifferences: optional(z.array(ignoreDifferencesSchema)),
  kustomize: optional(kustomizeSchema),
  helm: optional(helmSchema),
  compose: optional(
    strictObject({
      /** Compose profiles whose services run (services without profiles always run). */
      profiles: z.array(
        z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, {
          message: 'must be a profile name: letters, digits, "_", "." and "-"',
        }),
      ),
    }),
  ),
  /** The team (people group) that owns the app: delivery figures are also given per team. */
  team: optional(label('team')),
  dependsOn: optional(z.array(dnsLabel('app name in dependsOn'))),
  images: optional(imagesSchema),
  /** `sops.keys`: env variables of the server holding the app's age identities; `sops.recipients`: public keys new secrets are encrypted for. */
  sops: optional(
    strictObject({
      keys: optional(z.array(envName()).min(1, { message: 'name at least one variable' })),
      recipients: optional(
        z
          .array(
            z.string().regex(/^(age1[0-9a-z]{58}|[0-9A-Fa-f]{40})$/, {
              message: 'must be an age recipient (age1…, the public key) or a 40-digit PGP fingerprint',
            }),
          )
          .min(1, { message: 'name at least one recipient' }),
      ),
    }),
  ),
}).superRefine((app, ctx) => {
  if (app.kustomize !== undefined && app.helm !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['helm'],
      message: 'an app renders with kustomize or helm, not both — split it into two apps',
      params: { at: 'key' },
    });
  }
});

export type AppInput = z.output<typeof appSchema>;
