import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type AuditInput, errorMessage, WheelhouseError } from '../../core/index.js';
import { cliTokensSchema } from '../../wire/index.js';
import { zodRoutes } from '../zod-routes.js';
import type { CliTokenStore } from './cli-tokens.js';
import type { ProviderRenewal } from './provider-refresh.js';

const SIGN_IN_AGAIN = 'run `wheelhouse login` again';

/**
 * The CLI's half of single sign-on (public: possession of the code or refresh token is the
 * credential): redeem the one-time code with the PKCE verifier, refresh, revoke.
 */
export function cliTokenRoutes(options: {
  cliTokens: CliTokenStore;
  audit(input: AuditInput): Promise<unknown>;
  /** Asks the provider to renew a sign-in it gave a refresh token for (OIDC). */
  renewAtProvider?: (upstream: string) => Promise<ProviderRenewal>;
}) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    const common = { tags: ['session'], security: [] };
    app.post(
      '/api/v1/session/cli',
      {
        schema: {
          ...common,
          summary: '`wheelhouse login`: exchange the one-time code from single sign-on for tokens',
          body: z.strictObject({ code: z.string().min(1).max(256), verifier: z.string().min(43).max(128) }),
          response: { 200: cliTokensSchema },
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        const tokens = options.cliTokens.redeem(request.body.code, request.body.verifier);
        if (!tokens) {
          throw new WheelhouseError(
            'UNAUTHENTICATED',
            `sign-in code refused: it was used already, is older than 2 minutes, or belongs to another \`wheelhouse login\`; ${SIGN_IN_AGAIN}`,
          );
        }
        return tokens;
      },
    );
    app.post(
      '/api/v1/session/cli/refresh',
      {
        schema: {
          ...common,
          summary: 'A new short-lived CLI token for a refresh token (which is replaced)',
          body: z.strictObject({ refreshToken: z.string().min(1).max(256) }),
          response: { 200: cliTokensSchema },
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        const token = request.body.refreshToken;
        const upstream = options.cliTokens.upstreamOf(token);
        let renewed: ProviderRenewal | undefined;
        if (upstream && options.renewAtProvider) {
          try {
            renewed = await options.renewAtProvider(upstream);
          } catch (err) {
            // The provider no longer renews this sign-in (person disabled, session ended): it ends here too.
            const principal = options.cliTokens.revoke(token);
            if (principal) {
              await options.audit({
                actor: principal.actor,
                action: 'session.signout',
                platform: 'cli',
                decision: 'denied',
                result: `the identity provider refused to renew the CLI sign-in: ${errorMessage(err)}`,
              });
            }
            throw new WheelhouseError(
              'UNAUTHENTICATED',
              `your CLI sign-in has ended: the identity provider would not renew it (${errorMessage(err)}); ${SIGN_IN_AGAIN}`,
            );
          }
        }
        const tokens = options.cliTokens.refresh(token, renewed);
        if (!tokens) {
          throw new WheelhouseError(
            'UNAUTHENTICATED',
            `your CLI sign-in has ended (expired, signed out, or the server restarted); ${SIGN_IN_AGAIN}`,
          );
        }
        return tokens;
      },
    );
    app.post(
      '/api/v1/session/cli/revoke',
      {
        schema: {
          ...common,
          summary: '`wheelhouse logout`: end a CLI sign-in (its refresh token and access tokens)',
          body: z.strictObject({ refreshToken: z.string().min(1).max(256) }),
          response: { 200: z.object({ revoked: z.boolean() }) },
        },
      },
      async (request) => {
        const principal = options.cliTokens.revoke(request.body.refreshToken);
        if (principal) {
          await options.audit({
            actor: principal.actor,
            action: 'session.signout',
            platform: 'cli',
            decision: 'allowed',
            result: 'signed out of the CLI',
          });
        }
        return { revoked: principal !== undefined };
      },
    );
  };
}
