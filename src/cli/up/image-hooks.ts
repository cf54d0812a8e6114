import type { FastifyInstance } from 'fastify';
import type { ControlConfig } from '../../core/index.js';
import { type ImageWatch, pushedImages, registryHookAuthorized } from '../../images/index.js';

/** The env var holding the shared secret registry webhooks must carry, when wheelhouse.yaml names none. */
export const REGISTRY_HOOK_SECRET_ENV = 'WHEELHOUSE_REGISTRY_WEBHOOK_SECRET';

/** Which env var holds the secret: `webhooks.registry.secretEnv` in wheelhouse.yaml, else the default. */
function secretSource(config: ControlConfig | undefined): { envVar: string; where: string } {
  const named = config?.webhooks.registry?.secretEnv;
  return named
    ? { envVar: named, where: `${named} (webhooks.registry.secretEnv in wheelhouse.yaml)` }
    : { envVar: REGISTRY_HOOK_SECRET_ENV, where: REGISTRY_HOOK_SECRET_ENV };
}

/**
 * `POST /hooks/registry`: a registry's push notification (distribution, Docker Hub, Harbor)
 * checks the policies watching the pushed repository at once instead of at their next poll.
 * Answers 202 with the number of policies checked; 401 without the shared secret.
 */
export function registryHookRoutes(
  watch: () => ImageWatch | undefined,
  env: NodeJS.ProcessEnv,
  config: () => ControlConfig | undefined = () => undefined,
) {
  return async (app: FastifyInstance): Promise<void> => {
    // distribution posts its envelope with its own media type.
    app.addContentTypeParser(
      'application/vnd.docker.distribution.events.v1+json',
      { parseAs: 'string' },
      (_request, body, done) => {
        try {
          done(null, JSON.parse(String(body)));
        } catch (err) {
          done(err instanceof Error ? err : new Error(String(err)), undefined);
        }
      },
    );
    app.post('/hooks/registry', async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const authorization = request.headers.authorization;
      const secret = secretSource(config());
      if (!registryHookAuthorized(env[secret.envVar], authorization, query.token)) {
        return reply.code(401).send({
          error: 'UNAUTHENTICATED',
          message: `registry webhook refused: it must carry the secret from ${secret.where} as Authorization (distribution headers, Harbor auth header) or ?token= (Docker Hub); set that env var on the server`,
        });
      }
      const pushes = pushedImages(request.body);
      const images = watch();
      let checked = 0;
      for (const push of pushes) {
        const statuses = (await images?.checkRepository(push.host, push.repository)) ?? [];
        checked += statuses.length;
      }
      return reply.code(202).send({ pushes: pushes.length, checked });
    });
  };
}
