import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { afterAll } from 'vitest';

/** A person the test provider knows: the email names them, groups go in the `groups` claim. */
export interface TestAccount {
  id: string;
  email: string;
  name: string;
  groups: string[];
}

export interface TestClient {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  /** Registers a client (the provider is rebuilt; call before sign-ins start). */
  addClient(client: TestClient): Promise<void>;
  /** Puts a new signing key in front (the old one stays published), as providers rotate. */
  rotateKeys(): Promise<string>;
  /** The kid the provider signs ID tokens with now. */
  signingKid(): string;
  /** Signs arbitrary claims with the provider's current key (for expired or misaddressed tokens). */
  sign(claims: Record<string, unknown>, options?: { expiresAt?: number; issuedAt?: number }): Promise<string>;
  /** How many times the key set was fetched. */
  jwksFetches(): number;
  /** Grants handed out with `grant_type` (e.g. how many refresh_token renewals the token endpoint answered). */
  tokenGrants(grantType: string): number;
  /** The account is gone at the provider (a person disabled): its renewals are refused from now on. */
  disable(accountId: string): void;
}

interface SigningKey {
  kid: string;
  privateJwk: JWK;
  privateKey: CryptoKey;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `k-${randomBytes(6).toString('hex')}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateJwk, privateKey };
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A certified OpenID provider (`oidc-provider`) on 127.0.0.1 with static accounts. Its sign-in
 * page is one form asking for the account id (no password: the tests are about the relying party);
 * consent is granted for every client, as for a first-party app.
 */
export function oidcProviders(): (accounts: readonly TestAccount[]) => Promise<TestOidcProvider> {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });
  return async (accounts) => {
    const clients: TestClient[] = [];
    const keys: SigningKey[] = [await newKey()];
    const disabled = new Set<string>();
    const grants = new Map<string, number>();
    let fetches = 0;
    let provider: Provider | undefined;
    const server = createServer((request, response) => {
      void handle(request, response).catch((err: unknown) => {
        response.statusCode = 500;
        response.end(String(err));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    function build(): Provider {
      const configuration: Configuration = {
        clients: clients.map((c) => ({
          client_id: c.clientId,
          ...(c.clientSecret
            ? { client_secret: c.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }
            : { token_endpoint_auth_method: 'none', application_type: 'native' }),
          redirect_uris: c.redirectUris,
          post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        })),
        jwks: { keys: keys.map((k) => k.privateJwk) },
        cookies: { keys: ['test-provider-cookie-key'] },
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name'],
          groups: ['groups'],
        },
        scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
        features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        pkce: { required: () => true },
        ttl: {
          AccessToken: 600,
          AuthorizationCode: 60,
          Grant: 3600,
          IdToken: 600,
          Interaction: 600,
          RefreshToken: 3600,
          Session: 3600,
        },
        conformIdTokenClaims: false,
        findAccount: (_ctx, sub) => {
          const account = accounts.find((a) => a.id === sub);
          if (!account || disabled.has(sub)) return undefined;
          return {
            accountId: sub,
            claims: () => ({
              sub,
              email: account.email,
              email_verified: true,
              name: account.name,
              groups: account.groups,
            }),
          };
        },
        loadExistingGrant: async (ctx) => {
          const { client, session } = ctx.oidc;
          if (!client || !session?.accountId) return undefined;
          const grant = new ctx.oidc.provider.Grant({
            clientId: client.clientId,
            accountId: session.accountId,
          });
          grant.addOIDCScope('openid email profile groups offline_access');
          grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
          await grant.save();
          return grant;
        },
      };
      const built = new Provider(issuer, configuration);
      // Count the grants the token endpoint answered, by type (renewals are refresh_token).
      built.on('grant.success', (ctx) => {
        const type = String(ctx.oidc.params?.grant_type ?? '');
        grants.set(type, (grants.get(type) ?? 0) + 1);
      });
      return built;
    }

    async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
      provider ??= build();
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const interaction = /^\/interaction\/([\w-]+)$/.exec(path);
      if (interaction) {
        const details = await provider.interactionDetails(request, response);
        if (request.method === 'POST' && details.prompt.name === 'consent') {
          // Asked for explicitly (prompt=consent, as for offline_access): granted, as for a first-party app.
          const grant = new provider.Grant({
            clientId: String(details.params.client_id),
            accountId: String(details.session?.accountId),
          });
          grant.addOIDCScope(String(details.params.scope));
          grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
          const grantId = await grant.save();
          await provider.interactionFinished(
            request,
            response,
            { consent: { grantId } },
            { mergeWithLastSubmission: true },
          );
          return;
        }
        if (request.method === 'POST') {
          const form = await readForm(request);
          const id = form.get('account') ?? '';
          if (!accounts.some((a) => a.id === id)) {
            response.statusCode = 400;
            response.end(`no account ${id}`);
            return;
          }
          await provider.interactionFinished(
            request,
            response,
            { login: { accountId: id } },
            {
              mergeWithLastSubmission: false,
            },
          );
          return;
        }
        response.setHeader('content-type', 'text/html; charset=utf-8');
        response.end(
          `<!doctype html><html lang="en"><head><title>Test provider sign-in</title></head><body><main><h1>Sign in to the test provider</h1>` +
            `<form method="post" action="/interaction/${escapeHtml(details.uid)}"><label>Account <input name="account" autocomplete="username"></label>` +
            '<button type="submit">Continue</button></form></main></body></html>',
        );
        return;
      }
      if (path === '/jwks') fetches += 1;

      provider.callback()(request, response);
    }

    return {
      issuer,
      async addClient(client) {
        clients.push(client);
        provider = build();
      },
      async rotateKeys() {
        keys.unshift(await newKey());
        provider = build();
        return keys[0]?.kid ?? '';
      },
      signingKid: () => keys[0]?.kid ?? '',
      async sign(claims, options = {}) {
        const key = keys[0];
        if (!key) throw new Error('the test provider has no key');
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: key.kid })
          .setIssuer(issuer)
          .setIssuedAt(options.issuedAt ?? now)
          .setExpirationTime(options.expiresAt ?? now + 300)
          .sign(key.privateKey);
      },
      jwksFetches: () => fetches,
      tokenGrants: (type) => grants.get(type) ?? 0,
      disable(accountId) {
        disabled.add(accountId);
      },
    };
  };
}
