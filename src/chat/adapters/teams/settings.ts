import { z } from 'zod';
import { WheelhouseError } from '../../../core/index.js';
import { formatFieldPath } from '../../../util/index.js';
import { secureUrl } from '../settings-fields.js';
import { parseServiceUrlPattern } from './service-urls.js';

export const BOT_FRAMEWORK_OPENID_METADATA =
  'https://login.botframework.com/v1/.well-known/openidconfiguration';
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';
/** Multi-tenant bots get their tokens from the botframework.com tenant. */
export const tokenUrlFor = (tenant: string) =>
  `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;

/** Where Microsoft Teams sends activities from (its connector's service URLs), per cloud. */
export const TEAMS_SERVICE_URLS = [
  'https://smba.trafficmanager.net',
  'https://smba.infra.gcc.teams.microsoft.com',
  'https://smba.infra.gov.teams.microsoft.us',
  'https://smba.infra.dod.teams.microsoft.us',
];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `chat.teams` in wheelhouse.yaml, as written. */
export const teamsSettingsSchema = z.strictObject(
  {
    /** The bot's Microsoft App ID (its Entra ID app registration): the audience of inbound tokens. */
    appId: z
      .string({ error: "the bot's Microsoft App ID (from the Azure Bot resource) is required" })
      .regex(/^[A-Za-z0-9-]{8,64}$/, { error: "must be the bot's Microsoft App ID, a GUID" }),
    appPasswordEnv: z
      .string({ error: 'name the environment variable holding the client secret, e.g. TEAMS_APP_PASSWORD' })
      .regex(ENV_NAME, { error: 'must be the name of an environment variable (letters, digits, _)' }),
    /** Single-tenant bots: the tenant that issues the bot's outbound tokens. */
    tenantId: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,100}$/, { error: 'must be a tenant id (GUID) or domain' })
      .optional(),
    openIdMetadataUrl: secureUrl().default(BOT_FRAMEWORK_OPENID_METADATA),
    tokenUrl: secureUrl().optional(),
    issuers: z
      .array(z.string().min(1))
      .min(1, { error: 'list at least one issuer' })
      .default([BOT_FRAMEWORK_ISSUER]),
    /** Service URLs replies may go to: origins, `*.` allowed in front of a host. */
    serviceUrls: z
      .array(
        z.string().refine((value) => parseServiceUrlPattern(value) !== undefined, {
          error:
            'must be an origin such as https://smba.trafficmanager.net (a leading *. matches subdomains)',
        }),
      )
      .min(1, { error: 'list at least one service URL origin' })
      .default(TEAMS_SERVICE_URLS),
    /** Bot Framework channels accepted (their keys must be endorsed for them). */
    channels: z.array(z.string().min(1)).min(1).default(['msteams']),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')} — allowed: appId, appPasswordEnv, tenantId, openIdMetadataUrl, tokenUrl, issuers, serviceUrls, channels${issue.keys.some((k) => /(password|secret)$/i.test(k)) ? ' (a secret goes into an environment variable named by appPasswordEnv)' : ''}`
        : undefined,
  },
);

export interface TeamsSettings {
  appId: string;
  appPassword: string;
  /** The variable holding the password, for messages. */
  appPasswordEnv: string;
  openIdMetadataUrl: string;
  tokenUrl: string;
  issuers: string[];
  serviceUrls: string[];
  channels: string[];
}

/** Validates `chat.teams` and reads the secret it names; errors say which key or variable to fix. */
export function parseTeamsSettings(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): TeamsSettings {
  const parsed = teamsSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `chat.teams${issue.path.length ? `.${formatFieldPath(issue.path)}` : ''}: ${issue.message}`,
    );
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `the Microsoft Teams settings in wheelhouse.yaml are not valid: ${problems.join('; ')} (see docs/chat-teams.md)`,
      { details: { file: 'wheelhouse.yaml', path: 'chat.teams' } },
    );
  }
  const s = parsed.data;
  const password = env[s.appPasswordEnv];
  if (password === undefined || password.trim() === '') {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `chat.teams.appPasswordEnv names the environment variable ${s.appPasswordEnv}, which is not set: export the bot's client secret there before starting Wheelhouse`,
      { details: { file: 'wheelhouse.yaml', path: 'chat.teams.appPasswordEnv' } },
    );
  }
  return {
    appId: s.appId,
    appPassword: password.trim(),
    appPasswordEnv: s.appPasswordEnv,
    openIdMetadataUrl: s.openIdMetadataUrl,
    tokenUrl: s.tokenUrl ?? tokenUrlFor(s.tenantId ?? 'botframework.com'),
    issuers: s.issuers,
    serviceUrls: s.serviceUrls,
    channels: s.channels,
  };
}
