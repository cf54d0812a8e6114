import {
  type ApplyContext,
  type DesiredResource,
  type DriverDeps,
  type KindDefinition,
  resourceKey,
  silentLogger,
} from '../../src/core/index.js';
import { dockerKinds } from '../../src/drivers/docker/index.js';
import type { PodmanHost } from './podman.js';

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

/** A DesiredResource as render would hand it over: spec normalized by the kind's schema. */
export function desired(
  kind: 'Container' | 'Network' | 'Volume',
  name: string,
  spec: Record<string, unknown>,
  options: {
    app?: string;
    target?: string;
    namespace?: string;
    wave?: number;
    kinds?: readonly KindDefinition[];
  } = {},
): DesiredResource {
  const app = options.app ?? 'shop';
  const target = options.target ?? 'box';
  const namespace = options.namespace ?? app;
  const definition = (options.kinds ?? dockerKinds).find((k) => k.kind === kind);
  if (!definition) throw new Error(`no kind ${kind}`);
  const parsed = definition.parse(spec);
  if (!parsed.ok) throw new Error(`invalid ${kind} ${name}: ${JSON.stringify(parsed.issues)}`);
  return {
    apiVersion: 'wheelhouse/v1',
    kind,
    metadata: { name },
    spec: parsed.value,
    key: resourceKey(target, kind, namespace, name),
    app,
    target,
    namespace,
    wave: options.wave ?? 0,
  };
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

/** Poll until `check` returns a value (not undefined/false), or fail with `what` after the deadline. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
