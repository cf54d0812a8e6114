import { errorMessage, type ImagePolicy } from '../core/index.js';
import { parseImageRef } from './image-ref.js';
import type { RegistryClient } from './registry-client.js';
import { isNewer, newestTag } from './select-tag.js';

/** What the last check of one policy found (the `images` command and API show these). */
export interface ImageStatus {
  app: string;
  image: string;
  rule: string;
  /** The reference the app's manifests hold now. */
  current?: string;
  /** The newest acceptable version in the registry (`1.3.0`, or `latest@sha256:...`). */
  candidate?: string;
  state: 'pending' | 'up-to-date' | 'proposed' | 'held' | 'error';
  /** One sentence for people: what was found and what happened. */
  message: string;
  checkedAt?: string;
}

export interface ImageUpdate {
  app: string;
  image: string;
  tag?: string;
  digest?: string;
  from?: string;
}

export interface ImageWatchDeps {
  apps(): readonly { name: string; images?: ImagePolicy[] }[];
  /** The image reference the app's desired state holds now for this policy. */
  current(app: string, policy: ImagePolicy): Promise<string | undefined>;
  /** Ask for the update (the `image-update` action): says whether it was committed, held or refused. */
  propose(update: ImageUpdate): Promise<{ committed: boolean; message: string; awaitingApproval?: boolean }>;
  client(policy: ImagePolicy): RegistryClient;
  /** Told every finished check (to announce what changed). */
  onChecked?(status: ImageStatus): void;
  now?: () => Date;
  /** How often due policies are looked for (default 1 s); each is checked at its own interval. */
  tickMs?: number;
}

export interface ImageWatch {
  /** Check every policy of every app (or of one app) now. */
  checkAll(app?: string): Promise<ImageStatus[]>;
  /** Check the policies watching `repository` on a registry host (a registry webhook). */
  checkRepository(host: string, repository: string): Promise<ImageStatus[]>;
  statuses(): ImageStatus[];
  /** Check each policy at once and then at its interval until `stop` (policies added later too). */
  start(): void;
  stop(): void;
}

export function describeRule(policy: ImagePolicy): string {
  const { rule } = policy;
  if (rule.kind === 'semver') return `semver ${rule.range}`;
  if (rule.kind === 'regex') return `regex ${rule.pattern} (${rule.order})`;
  return `digest of ${rule.tag}`;
}

/**
 * Image automation's loop: for each policy, list the registry's tags, pick the newest acceptable
 * one, and when it is newer than what the app's manifests hold, propose it (a commit by the bot,
 * subject to the access policy, approvals and locks). A registry that cannot be read leaves the
 * current image as it is and says so in the status. Checks of one policy never overlap.
 */
export function createImageWatch(deps: ImageWatchDeps): ImageWatch {
  const now = deps.now ?? (() => new Date());
  const statuses = new Map<string, ImageStatus>();
  const running = new Map<string, Promise<ImageStatus>>();
  /** Candidates waiting for approval, by policy: asked for once, not again at every poll. */
  const awaiting = new Map<string, { candidate: string; message: string }>();
  const lastRun = new Map<string, number>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const key = (app: string, image: string) => `${app} ${image}`;

  async function evaluate(app: string, policy: ImagePolicy): Promise<ImageStatus> {
    const base = { app, image: policy.image, rule: describeRule(policy), checkedAt: now().toISOString() };
    const current = await deps.current(app, policy).catch(() => undefined);
    const withCurrent = current ? { ...base, current } : base;
    try {
      const client = deps.client(policy);
      const tags = await client.listTags(policy.registry, policy.repository);
      const tag = newestTag(policy.rule, tags);
      if (!tag) {
        return {
          ...withCurrent,
          state: 'up-to-date',
          message: `no tag of ${policy.image} matches ${base.rule}; keeping ${current ?? 'what the manifests hold'}`,
        };
      }
      const now = current ? parseImageRef(current) : undefined;
      let update: ImageUpdate | undefined;
      let candidate = tag;
      if (policy.rule.kind === 'digest') {
        const digest = await client.digest(policy.registry, policy.repository, tag);
        candidate = `${tag}@${digest}`;
        if (now?.digest !== digest) update = { app, image: policy.image, tag, digest };
      } else if (isNewer(policy.rule, now?.tag, tag)) {
        update = { app, image: policy.image, tag };
      }
      if (!update)
        return {
          ...withCurrent,
          candidate,
          state: 'up-to-date',
          message: `${current ?? policy.image} is the newest matching ${base.rule}`,
        };
      const k = key(app, policy.image);
      const waiting = awaiting.get(k);
      if (waiting?.candidate === candidate)
        return { ...withCurrent, candidate, state: 'held', message: waiting.message };
      const result = await deps.propose(current ? { ...update, from: current } : update);
      if (result.awaitingApproval) awaiting.set(k, { candidate, message: result.message });
      else awaiting.delete(k);
      return {
        ...withCurrent,
        candidate,
        state: result.committed ? 'proposed' : 'held',
        message: result.message,
      };
    } catch (err) {
      return {
        ...withCurrent,
        state: 'error',
        message: `could not check ${policy.image}: ${errorMessage(err)}; keeping ${current ?? 'the current image'}`,
      };
    }
  }

  function check(app: string, policy: ImagePolicy): Promise<ImageStatus> {
    const k = key(app, policy.image);
    const inFlight = running.get(k);
    if (inFlight) return inFlight;
    const run = evaluate(app, policy)
      .then((status) => {
        statuses.set(k, status);
        deps.onChecked?.(status);
        return status;
      })
      .finally(() => running.delete(k));
    running.set(k, run);
    return run;
  }

  const policies = (app?: string) =>
    deps
      .apps()
      .filter((a) => app === undefined || a.name === app)
      .flatMap((a) => (a.images ?? []).map((policy) => ({ app: a.name, policy })));

  /** Every tick, check the policies whose interval has passed since their last check (or never ran). */
  function tick(): void {
    const at = now().getTime();
    for (const p of policies()) {
      const k = key(p.app, p.policy.image);
      const last = lastRun.get(k);
      if (last !== undefined && at - last < p.policy.intervalMs) continue;
      lastRun.set(k, at);
      void check(p.app, p.policy);
    }
  }

  return {
    checkAll: (app) => Promise.all(policies(app).map((p) => check(p.app, p.policy))),
    checkRepository: (host, repository) =>
      Promise.all(
        policies()
          .filter((p) => p.policy.repository === repository && new URL(p.policy.registry).host === host)
          .map((p) => check(p.app, p.policy)),
      ),
    statuses: () =>
      policies().map(
        (p) =>
          statuses.get(key(p.app, p.policy.image)) ?? {
            app: p.app,
            image: p.policy.image,
            rule: describeRule(p.policy),
            state: 'pending',
            message: 'not checked yet',
          },
      ),
    start() {
      if (timer) return;
      timer = setInterval(tick, deps.tickMs ?? 1_000);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
