import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorId } from '../../access/index.js';
import { type ControlConfig, type GithubAuthSettings, WheelhouseError } from '../../core/index.js';
import { exchangeGithubCode, githubPerson } from './github-api.js';
import { codeChallenge } from './pending-logins.js';
import {
  browserState,
  cliLogin,
  completeSignIn,
  GITHUB_CALLBACK_PATH,
  GITHUB_LOGIN_PATH,
  type OidcRouteOptions,
  stateCookie,
} from './routes.js';

/** The platform of people signed in with GitHub: `github:<login>`. */
export const GITHUB_PLATFORM = 'github';
const SCOPES = 'read:user user:email read:org';

function githubSettings(config: () => ControlConfig | undefined): GithubAuthSettings {
  const github = config()?.auth?.github;
  if (!github) {
    throw new WheelhouseError(
      'NOT_FOUND',
      'sign-in with GitHub is not configured on this server: add auth.github (clientId, clientSecretEnv) to wheelhouse.yaml, see docs/authentication.md; until then sign in with a token',
    );
  }
  return github;
}

function secretOf(github: GithubAuthSettings, env: OidcRouteOptions['env']): string {
  const secret = env[github.clientSecretEnv];
  if (!secret) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `sign-in with GitHub cannot finish: auth.github.clientSecretEnv names ${github.clientSecretEnv}, which is not set in Wheelhouse's environment; set it to the OAuth app's client secret and restart`,
    );
  }
  return secret;
}

function redirectUri(github: GithubAuthSettings, request: FastifyRequest): string {
  return github.redirectUrl ?? `${request.protocol}://${request.host}${GITHUB_CALLBACK_PATH}`;
}

/**
 * Sign-in with a GitHub OAuth app (web application flow, with PKCE and a state bound to the
 * browser like the OIDC flow): the person is `github:<login>`, matched to `people` by that id or
 * by their verified primary email; their organisations (`acme`) and teams (`acme/platform`) are
 * their groups. With `auth.github.orgs`, only members of one of them get in. Public routes.
 */
export function githubRoutes(options: OidcRouteOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(GITHUB_LOGIN_PATH, { schema: { hide: true } }, async (request, reply) => {
      const github = githubSettings(options.config);
      const login = options.pending.start(redirectUri(github, request), cliLogin(request));
      const url = new URL(`${github.url}/login/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: github.clientId,
        redirect_uri: login.redirectUri,
        scope: SCOPES,
        state: login.state,
        code_challenge: codeChallenge(login.codeVerifier),
        code_challenge_method: 'S256',
        allow_signup: 'false',
      }).toString();
      stateCookie(request, reply, login.state, 600);
      reply.header('Cache-Control', 'no-store');
      return reply.redirect(url.toString(), 302);
    });

    app.get(GITHUB_CALLBACK_PATH, { schema: { hide: true } }, async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      const query = request.query as Record<string, string | undefined>;
      const github = githubSettings(options.config);
      if (query.error) {
        throw new WheelhouseError(
          'UNAUTHENTICATED',
          `sign-in refused by GitHub (${query.error}${query.error_description ? `: ${query.error_description}` : ''}); authorise the OAuth app ${github.clientId} when GitHub asks, or ask an organisation owner to approve it`,
        );
      }
      const state = query.state ?? '';
      const login = state ? options.pending.take(state) : undefined;
      const held = browserState(request, state);
      if (state) stateCookie(request, reply, state, 0);
      if (!login || held !== state || !query.code) {
        options.log.info(
          { ip: request.ip },
          'GitHub sign-in callback refused: unknown, used or foreign state',
        );
        throw new WheelhouseError(
          'UNAUTHENTICATED',
          'sign-in refused: this sign-in link was already used, has expired, or was started in another browser; start again from the sign-in page',
        );
      }
      const token = await exchangeGithubCode(github, secretOf(github, options.env), {
        code: query.code,
        redirectUri: login.redirectUri,
        codeVerifier: login.codeVerifier,
      });
      const person = await githubPerson(github, token);
      const orgs = github.orgs;
      if (orgs && !orgs.some((org) => person.groups.some((g) => g.toLowerCase() === org.toLowerCase()))) {
        await options.audit({
          actor: actorId(GITHUB_PLATFORM, person.login),
          action: 'session.signin',
          decision: 'denied',
          result: `not a member of ${orgs.join(', ')} on ${github.url}`,
        });
        throw new WheelhouseError(
          'FORBIDDEN',
          `GitHub user ${person.login} may not sign in here: only members of ${orgs.join(', ')} (auth.github.orgs) may; if you are one, grant the OAuth app access to the organisation on GitHub (Settings → Applications) and sign in again`,
        );
      }
      return completeSignIn(options, request, reply, login.cli, {
        principal: { user: person.login, actor: actorId(GITHUB_PLATFORM, person.login), via: 'github' },
        groups: person.groups,
        through: github.url,
        ...(person.email ? { email: person.email } : {}),
      });
    });
  };
}
