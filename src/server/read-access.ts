import type { FastifyRequest } from 'fastify';
import { checkPermission, grants, resolveIdentity, rolePermissions } from '../access/index.js';
import { type ControlConfig, type Engine, isWheelhouseError, WheelhouseError } from '../core/index.js';
import { principalOf } from './auth.js';

/**
 * What one caller may read, decided by the access policy of wheelhouse.yaml (the same
 * `checkPermission` chat and the actions service use): `read` per app, and `read` on no app in
 * particular (any binding that grants read) for entries that concern no app (sign-ins, webhooks).
 */
export interface Reader {
  /** True when the caller may read every app (admin, or a default role that grants read). */
  readonly everything: boolean;
  /** May the caller read this app? Without an app: may the caller read anything at all? */
  may(app?: string): boolean;
  /**
   * Throws FORBIDDEN naming the app, the permission and who holds it. Without an app: unless the
   * caller may read at least something (the audit chain's verification, for one).
   */
  assert(app?: string): void;
}

/** The config in force and the engine's apps, which say which environment an app is in. */
export interface ReadPolicySource {
  config(): ControlConfig | undefined;
  engine: Pick<Engine, 'apps'>;
}

const readers = new WeakMap<FastifyRequest, Reader>();

/** The caller's reader, made once per request. */
export function readerOf(source: ReadPolicySource, request: FastifyRequest): Reader {
  const cached = readers.get(request);
  if (cached) return cached;
  const reader = createReader(source, principalOf(request).actor);
  readers.set(request, reader);
  return reader;
}

/** A reader for an actor (`api:alice`, `web:alice`); the policy is read once, now. */
export function createReader(source: ReadPolicySource, actor: string): Reader {
  const config = source.config();
  const identity = resolveIdentity(actor, config?.people ?? []);
  if (identity.admin) return { everything: true, may: () => true, assert: () => {} };
  if (!config) {
    const refuse = (): never => {
      throw new WheelhouseError(
        'UNAVAILABLE',
        `${actor} cannot read yet: no valid wheelhouse.yaml is loaded, so its access policy is unknown; until it loads only the admin token may read (fix wheelhouse.yaml, see \`wheelhouse validate\`)`,
      );
    };
    return { everything: false, may: () => false, assert: refuse };
  }
  const decide = (app?: string) =>
    checkPermission(
      config.access,
      config.people,
      identity,
      'read',
      app === undefined ? undefined : { name: app, environment: environmentOf(app) },
    );
  // The default role covers every app and environment; bindings are checked app by app.
  const everything = grants(rolePermissions(config.access.roles, config.access.defaultRole) ?? [], 'read');
  let environments: Map<string, string> | undefined;
  function environmentOf(app: string): string {
    environments ??= new Map(source.engine.apps().map((a) => [a.name, a.environment]));
    // An app that is gone (audit entries outlive it) falls back to its config entry, then to no
    // environment at all: bindings limited to environments then do not cover it.
    return environments.get(app) ?? config?.apps.find((a) => a.name === app)?.environment ?? '';
  }
  const cache = new Map<string, boolean>();
  return {
    everything,
    may(app) {
      if (everything) return true;
      const key = app ?? '';
      let allowed = cache.get(key);
      if (allowed === undefined) {
        allowed = decide(app).allowed;
        cache.set(key, allowed);
      }
      return allowed;
    },
    assert(app) {
      if (everything) return;
      const decision = decide(app);
      if (decision.allowed) return;
      const example = bindingExample(config, identity.person?.name ?? identity.actor, app);
      if (app === undefined)
        throw new WheelhouseError('FORBIDDEN', `cannot read: ${decision.reason}, such as ${example}`);
      throw new WheelhouseError(
        'FORBIDDEN',
        `cannot read app ${app}: ${decision.reason}, such as ${example}`,
        {
          details: { app },
        },
      );
    },
  };
}

/** A binding that would grant read: `{ subjects: ["api:bob"], role: viewer, apps: ["web"] }`. */
function bindingExample(config: ControlConfig, subject: string, app: string | undefined): string {
  const declared = Object.keys(config.access.roles);
  const role =
    ['viewer', ...declared].find(
      (name) => grants(rolePermissions(config.access.roles, name) ?? [], 'read') && name !== 'admin',
    ) ?? 'viewer';
  const apps = app === undefined ? '' : `, apps: [${JSON.stringify(app)}]`;
  return `\`{ subjects: [${JSON.stringify(subject)}], role: ${role}${apps} }\``;
}

/**
 * Checks `read` on the app a request names (`:app` in the path, `?app=` in the query). An app
 * that does not exist is left to the route (404), unless the caller may read nothing at all:
 * then the 404's suggestions would list apps they may not see, so the answer is 403.
 */
export function assertReadable(source: ReadPolicySource & { engine: Pick<Engine, 'status'> }) {
  return (request: FastifyRequest, app: string): void => {
    const reader = readerOf(source, request);
    if (reader.everything) return;
    try {
      source.engine.status(app);
    } catch (err) {
      if (isWheelhouseError(err, 'NOT_FOUND') && reader.may()) return;
      if (!isWheelhouseError(err, 'NOT_FOUND')) throw err;
    }
    reader.assert(app);
  };
}
