import type {
  ApplyContext,
  ApplyOutcome,
  DesiredResource,
  Driver,
  DriverEvent,
  Health,
  KindDefinition,
  LiveResource,
  LogLine,
  LogOptions,
} from '../../src/core/index.js';
import { WheelhouseError } from '../../src/core/index.js';

/**
 * An in-memory driver that follows the Driver port, for the runner's and the engine's tests.
 * Kinds: `File` (order 10), `Process` (order 20) and `Job` (order 30, a hook whose phase is
 * `spec.phase`). Behaviour is scripted per resource key: failing applies/removes, a sequence of
 * health answers, hook results, drift, facts, applies that hang until aborted. Every call is
 * recorded in `calls`, in order.
 */

export interface FakeCall {
  op: 'apply' | 'remove' | 'health';
  app: string;
  key: string;
  /** For apply: the digest of the ApplyContext. */
  digest?: string;
  /** For apply: the facts the engine recorded for this resource at this tree, if any. */
  recorded?: Record<string, unknown>;
}

interface Entry {
  resource: DesiredResource;
  health: Health;
  appliedDigest?: string;
  drift?: string;
  logs: LogLine[];
}

const objectSpec = (spec: unknown) =>
  spec !== null && typeof spec === 'object' && !Array.isArray(spec)
    ? { ok: true as const, value: spec as Record<string, unknown> }
    : { ok: false as const, issues: [{ path: [], message: 'spec must be a map' }] };

export const FAKE_KINDS: readonly KindDefinition[] = [
  { kind: 'File', description: 'a file (fake)', order: 10, parse: objectSpec },
  { kind: 'Process', description: 'a process (fake)', order: 20, parse: objectSpec },
  {
    kind: 'Job',
    description: 'a hook job (fake)',
    order: 30,
    parse: objectSpec,
    hook: (spec) => (spec.phase === 'PostSync' ? 'PostSync' : 'PreSync'),
  },
];

export function fakeKindOrder(kind: string): number {
  return FAKE_KINDS.find((definition) => definition.kind === kind)?.order ?? 100;
}

export class FakeDriver implements Driver {
  readonly kinds = FAKE_KINDS;
  readonly calls: FakeCall[] = [];
  started = false;
  private readonly apps = new Map<string, Map<string, Entry>>();
  private readonly applyFailures = new Map<string, { left: number; error: () => Error }>();
  private readonly removeFailures = new Map<string, { left: number; error: () => Error }>();
  private readonly healthScripts = new Map<string, Health[]>();
  private readonly hookResults = new Map<string, { succeeded: boolean; logTail: string[] }>();
  private readonly factsByKey = new Map<string, Record<string, unknown>>();
  private readonly hanging = new Set<string>();
  private readonly held = new Map<string, Promise<void>>();
  private readonly scriptedLogs = new Map<string, string[]>();
  private readonly listeners = new Set<(event: DriverEvent) => void>();

  constructor(readonly name = 'fake') {}

  // --- scripting -------------------------------------------------------------------------

  /** The next `times` applies of `key` throw (a DRIVER_FAILED error unless `error` is given). */
  failApply(key: string, times: number, error?: () => Error): this {
    this.applyFailures.set(key, { left: times, error: error ?? (() => transientError('apply', key)) });
    return this;
  }

  failRemove(key: string, times: number, error?: () => Error): this {
    this.removeFailures.set(key, { left: times, error: error ?? (() => transientError('remove', key)) });
    return this;
  }

  /** Answers of successive `health()` calls for `key`; the last one sticks. */
  scriptHealth(key: string, ...answers: Health[]): this {
    this.healthScripts.set(key, [...answers]);
    return this;
  }

  /** What applying the hook `key` reports (default: succeeded, no log lines). */
  hookResult(key: string, result: { succeeded: boolean; logTail: string[] }): this {
    this.hookResults.set(key, result);
    return this;
  }

  /** Facts reported by every apply of `key`. */
  facts(key: string, facts: Record<string, unknown>): this {
    this.factsByKey.set(key, facts);
    return this;
  }

  /** Log lines `logs()` serves for `key` once it is applied (default: a hook's log tail). */
  logLines(key: string, lines: string[]): this {
    this.scriptedLogs.set(key, [...lines]);
    return this;
  }

  /** Applies of `key` wait until their signal aborts, then throw. */
  hangApply(key: string): this {
    this.hanging.add(key);
    return this;
  }

  /** Applies of `key` wait until `release()` is called (to hold an operation open in a test). */
  holdApply(key: string): { release(): void } {
    let release = () => {};
    this.held.set(key, new Promise<void>((resolve) => (release = resolve)));
    return {
      release: () => {
        this.held.delete(key);
        release();
      },
    };
  }

  /** Put a resource on the "target" as if an earlier sync had applied it. */
  seed(resource: DesiredResource, options: { digest?: string; health?: Health; drift?: string } = {}): this {
    const entry: Entry = {
      resource: structuredClone(resource),
      health: options.health ?? { status: 'Healthy' },
      logs: [],
    };
    if (options.digest !== undefined) entry.appliedDigest = options.digest;
    if (options.drift !== undefined) entry.drift = options.drift;
    this.appEntries(resource.app).set(resource.key, entry);
    return this;
  }

  /** Mark drift on a live resource (as a hand-killed process would), and tell watchers. */
  drift(app: string, key: string, text: string): void {
    const entry = this.apps.get(app)?.get(key);
    if (!entry) throw new Error(`fake driver: ${key} is not live for app ${app}`);
    entry.drift = text;
    for (const listener of this.listeners) listener({ app, key, reason: text });
  }

  /** Keys currently live for the app. */
  liveKeys(app: string): string[] {
    return [...(this.apps.get(app)?.keys() ?? [])];
  }

  /** The spec currently applied for a key, or undefined. */
  liveSpec(app: string, key: string): Record<string, unknown> | undefined {
    return this.apps.get(app)?.get(key)?.resource.spec;
  }

  /** Calls of one operation, as keys in order. */
  keysOf(op: FakeCall['op']): string[] {
    return this.calls.filter((call) => call.op === op).map((call) => call.key);
  }

  // --- the Driver port --------------------------------------------------------------------

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  async observe(app: string): Promise<LiveResource[]> {
    return [...(this.apps.get(app)?.values() ?? [])].map((entry) => {
      const live: LiveResource = {
        key: entry.resource.key,
        kind: entry.resource.kind,
        name: entry.resource.metadata.name,
        namespace: entry.resource.namespace,
        app,
        spec: structuredClone(entry.resource.spec),
        health: entry.health,
      };
      if (entry.drift !== undefined) live.drift = entry.drift;
      if (entry.appliedDigest !== undefined) live.appliedDigest = entry.appliedDigest;
      return live;
    });
  }

  async apply(resource: DesiredResource, ctx: ApplyContext): Promise<ApplyOutcome> {
    this.calls.push({
      op: 'apply',
      app: resource.app,
      key: resource.key,
      digest: ctx.digest,
      ...(ctx.recorded ? { recorded: ctx.recorded } : {}),
    });
    await Promise.resolve();
    // Only a hanging apply looks at the signal, so a test's deadline is reached while waiting for
    // health (deterministically), never by chance in the middle of an apply.
    await this.held.get(resource.key);
    if (this.hanging.has(resource.key)) {
      await waitForAbort(ctx.signal);
      ctx.signal.throwIfAborted();
    }
    const failure = this.applyFailures.get(resource.key);
    if (failure && failure.left > 0) {
      failure.left--;
      throw failure.error();
    }
    const hook = resource.hook !== undefined;
    const result = hook
      ? (this.hookResults.get(resource.key) ?? { succeeded: true, logTail: [] })
      : undefined;
    const entry: Entry = {
      resource: structuredClone(resource),
      health:
        result && !result.succeeded ? { status: 'Degraded', message: 'job failed' } : { status: 'Healthy' },
      logs: (this.scriptedLogs.get(resource.key) ?? result?.logTail ?? []).map((text) => ({
        stream: 'stdout' as const,
        source: resource.metadata.name,
        text,
      })),
    };
    if (hook) entry.appliedDigest = ctx.digest;
    this.appEntries(resource.app).set(resource.key, entry);
    ctx.progress(`applied ${resource.kind} ${resource.metadata.name}`);
    const outcome: ApplyOutcome = {};
    const facts = this.factsByKey.get(resource.key);
    if (facts) outcome.facts = { ...facts };
    if (result) outcome.hookResult = { succeeded: result.succeeded, logTail: [...result.logTail] };
    return outcome;
  }

  async remove(resource: LiveResource, ctx: ApplyContext): Promise<void> {
    this.calls.push({ op: 'remove', app: resource.app, key: resource.key, digest: ctx.digest });
    await Promise.resolve();
    const failure = this.removeFailures.get(resource.key);
    if (failure && failure.left > 0) {
      failure.left--;
      throw failure.error();
    }
    this.apps.get(resource.app)?.delete(resource.key);
  }

  async health(app: string, key: string): Promise<Health> {
    this.calls.push({ op: 'health', app, key });
    const script = this.healthScripts.get(key);
    if (script && script.length > 0) {
      const answer = script.length > 1 ? (script.shift() as Health) : (script[0] as Health);
      const entry = this.apps.get(app)?.get(key);
      if (entry) entry.health = answer;
      return answer;
    }
    return this.apps.get(app)?.get(key)?.health ?? { status: 'Missing', message: 'not found (fake driver)' };
  }

  async *logs(app: string, key: string, options: LogOptions): AsyncIterable<LogLine> {
    const lines = this.apps.get(app)?.get(key)?.logs ?? [];
    for (const line of lines.slice(-options.tail)) yield line;
  }

  watch(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async teardown(): Promise<void> {
    this.apps.clear();
  }

  private appEntries(app: string): Map<string, Entry> {
    let entries = this.apps.get(app);
    if (!entries) {
      entries = new Map();
      this.apps.set(app, entries);
    }
    return entries;
  }
}

function transientError(op: string, key: string): Error {
  return new WheelhouseError('DRIVER_FAILED', `fake driver: ${op} of ${key} failed (scripted)`, {
    details: { resource: key },
  });
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
