import { validRange } from 'semver';
import { z } from 'zod';
import { IMAGE_DEFAULTS } from '../defaults.js';
import { duration, envName, optional, repoPath, strictObject, text } from './fields.js';

/**
 * `images:` of an app entry: image update policies. Each names an image repository as the app's
 * manifests write it (`127.0.0.1:5000/shop/web`, `nginx`), how to pick the newest acceptable
 * version from its registry, and how often to look. A newer version is written to Git as a
 * commit by the image-automation bot (see docs/image-automation.md).
 */

/** An image repository without tag or digest: `[host[:port]/]path`, lower case as registries want. */
const imageName = z
  .string()
  .refine(
    (value) =>
      /^[a-z0-9]+([._:-][a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/.test(value) && !/[@]/.test(value),
    {
      message:
        'must be an image repository without tag or digest, as the manifests write it, e.g. registry.example.com/shop/web (put the version rule under policy)',
    },
  );

const httpUrl = z.string().refine((value) => /^https?:\/\/[^\s/?#@]+\/?$/.test(value), {
  message:
    'must be the registry base URL without path or credentials, e.g. https://registry.example.com (credentials go in the env vars named by credentials)',
});

const policySchema = strictObject({
  /** A semver range (`^1.2.0`, `>=1.0.0 <2`): the highest matching tag wins. */
  semver: optional(
    text('semver').refine((value) => validRange(value) !== null, {
      message: 'is not a semver range — write e.g. "^1.2.0" or ">=1.0.0 <2.0.0"',
    }),
  ),
  /** A regular expression tags must match; the first capture group (or the whole tag) is the sort key. */
  regex: optional(
    text('regex').refine(
      (value) => {
        try {
          new RegExp(value);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'is not a valid regular expression (JavaScript syntax), e.g. "^main-(\\d+)$"' },
    ),
  ),
  /** How regex matches are ordered: the last in this order wins. */
  order: optional(z.enum(['alphabetical', 'numerical'], { message: 'must be alphabetical or numerical' })),
  /** Follow the digest of this tag (`latest`, `stable`): a new push to it is a new version. */
  digest: optional(text('digest')),
}).superRefine((policy, ctx) => {
  const kinds = (['semver', 'regex', 'digest'] as const).filter((k) => policy[k] !== undefined);
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: kinds.length > 1 ? [kinds[1] ?? 'semver'] : [],
      message:
        kinds.length > 1
          ? `give one of semver, regex or digest, not ${kinds.join(' and ')}`
          : 'give one of semver (a range, e.g. "^1.2.0"), regex (with order) or digest (a tag to follow, e.g. latest)',
    });
  }
  if (policy.order !== undefined && policy.regex === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['order'],
      message: 'order applies to a regex policy only — add regex or remove order',
    });
  }
});

const credentialsSchema = strictObject({
  usernameEnv: envName(),
  passwordEnv: envName(),
});

export const imagePolicySchema = strictObject({
  image: imageName,
  registry: optional(httpUrl),
  policy: policySchema,
  interval: optional(duration(IMAGE_DEFAULTS.minIntervalMs)),
  credentials: optional(credentialsSchema),
  /** A Helm app: the values path holding the tag (`image.tag`), in `file` or the first values file. */
  helmValues: optional(strictObject({ path: text('path'), file: optional(repoPath()) })),
});

export const imagesSchema = z.array(imagePolicySchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (seen.has(entry.image)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'image'],
        message: `${entry.image} has two policies in this app — keep one`,
      });
    }
    seen.add(entry.image);
  });
});

export type ImagePolicyInput = z.output<typeof imagePolicySchema>;
