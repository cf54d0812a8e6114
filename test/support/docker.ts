import {
  type ApplyContext,
  type DesiredResource,
  type DriverDeps,
  type KindDefinition,
  silentLogger,
} from '../../src/core/index.js';
import { dockerKinds } from '../../src/drivers/docker/index.js';
import type { PodmanHost } from './podman.js';
import { desired } from './resources.js';

/** Driver deps for a docker target on the test Podman. */
export function dockerDeps(
  podman: PodmanHost,
  overrides: {
    target?: string;
    options?: Record<string, unknown>;
    env?: Record<string, string | undefined>;
  } = {},
): DriverDeps {
  return {
    target: overrides.target ?? 'box',
    options: { host: podman.host, ...overrides.options },
    stateDir: podman.dir,
    log: silentLogger,
    env: overrides.env ?? {},
  };
}

/**
 * A docker DesiredResource (app `shop`, target `box` by default) with its spec normalized by the
 * kind's schema, as render hands it over.
 */
export function dockerDesired(
  kind: 'Container' | 'Network' | 'Volume',
  name: string,
  spec: Record<string, unknown>,
  options: {
    app?: string;
    target?: string;
    namespace?: string;
    wave?: number;
    annotations?: Record<string, string>;
    kinds?: readonly KindDefinition[];
  } = {},
): DesiredResource {
  const definition = (options.kinds ?? dockerKinds).find((k) => k.kind === kind);
  if (!definition) throw new Error(`no kind ${kind}`);
  const parsed = definition.parse(spec);
  if (!parsed.ok) throw new Error(`invalid ${kind} ${name}: ${JSON.stringify(parsed.issues)}`);
  const resource = desired(kind, name, parsed.value, {
    app: options.app ?? 'shop',
    target: options.target ?? 'box',
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.wave !== undefined ? { wave: options.wave } : {}),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  });
  return resource;
}

export interface TestContext extends ApplyContext {
  /** Every progress message, in order. */
  messages: string[];
  abort(): void;
}

export function applyContext(app = 'shop'): TestContext {
  const controller = new AbortController();
  const messages: string[] = [];
  return {
    app,
    revision: '0'.repeat(40),
    digest: '1'.repeat(40),
    checkout: async () => {
      throw new Error('the docker driver never needs a checkout');
    },
    signal: controller.signal,
    progress: (message) => messages.push(message),
    log: silentLogger,
    messages,
    abort: () => controller.abort(),
  };
}
