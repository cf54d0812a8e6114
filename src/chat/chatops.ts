import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DescribeAction } from '../access/index.js';
import {
  type Actions,
  actionRoutes,
  commitsSince,
  createActions,
  createCiOperations,
  createMutationGuard,
  createOperations,
  createSecretRedaction,
  type GuardedMutation,
  type OperationDeps,
  repoOf,
  settleInterrupted,
  sourceCommits,
} from '../access/index.js';
import { createCiService } from '../ci/index.js';
import {
  type ChatAdapter,
  type Engine,
  errorMessage,
  type Logger,
  type RepoRef,
  type SourceProvider,
  type Store,
} from '../core/index.js';
import type { Redactor } from '../util/index.js';
import type { ImagesResponse } from '../wire/index.js';
import {
  type CommitSigning,
  createWriteBack,
  signingFromEnv,
  type WriteBackGit,
  type WriteBackOptions,
} from '../writeback/index.js';
import { createWebChatAdapter, type WebChatAdapter, webChatRoutes } from './adapters/web/index.js';
import { actionText } from './commands/action-text.js';
import { commandCatalog } from './commands/catalog.js';
import { COMMANDS } from './commands/registry.js';
import { type ChatService, createChatService } from './core/service.js';
import {
  createNotifier,
  createWeeklyDigest,
  type Notifier,
  type NotifierOptions,
  type WeeklyDigest,
} from './notify/index.js';
import { findRequestCommit } from './request-commit.js';

/** How often a build followed in a chat thread is looked at. */
const CI_POLL_MS = 5_000;

export interface ChatOpsDeps {
  engine: Engine;
  store: Store;
  /** Commit lists for replies, manifests for secret names, revisions (the engine's source). */
  source: SourceProvider;
  /** The git layer's mirrors and credentials, which write-back clones from and pushes with. */
  git: WriteBackGit;
  dataDir: string;
  log: Logger;
  /** The repository holding wheelhouse.yaml, and the ref the engine follows. */
  controlRepo: RepoRef & { ref: string };
  /** Where secret values are read from for redaction; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Chat platforms besides the built-in chat (Slack, Teams, ...): each an adapter on this core. */
  adapters?: readonly ChatAdapter[] | (() => readonly ChatAdapter[]);
  writeBack?: Partial<Pick<WriteBackOptions, 'committer' | 'retries' | 'timeoutMs' | 'signing'>>;
  notifications?: Pick<NotifierOptions, 'dedupeWindowMs' | 'rateLimit'>;
  /** How often pending approvals are checked for expiry (default 15 s). */
  expirySweepMs?: number;
  /** How often a CI build started from chat is looked at (default 5 s). */
  ciPollMs?: number;
  /** The clock approvals, messages and replies use (tests move it forward). */
  now?: () => Date;
  /** The image policies and their last checks (`images` in chat); absent: none are watched. */
  images?: () => ImagesResponse['images'];
}

export interface ChatOps {
  actions: Actions;
  chat: ChatService;
  web: WebChatAdapter;
  notifier: Notifier;
  /** `digest: weekly` routes: last week's delivery figures every Monday. */
  digest: WeeklyDigest;
  /** Masks secret values and `secretPatterns` matches. */
  redact(text: string): string;
  /** `createServer({ redactor })`: the redaction in force now, taken once per response. */
  redactor(): Redactor;
  /** `createServer({ guard })`: the access policy, approvals and locks for the API's sync and refresh. */
  guard(request: GuardedMutation): Promise<void>;
  /**
   * `createServer({ plugins: { api: [...] } })`: the built-in chat's routes, the actions and the
   * approvals inbox. `userOf` names the token's user (the chat sender is `web:<user>`, API calls
   * act as `api:<user>`).
   */
  routes(
    userOf: (request: FastifyRequest) => string,
    surface?: {
      /** The caller's actor for actions and approvals; default `api:<user>` (the dashboard passes `web:<user>`). */
      actorOf?: (request: FastifyRequest) => string;
      /** The surface recorded in audit; default `api`. */
      platformOf?: (request: FastifyRequest) => string;
    },
  ): (app: FastifyInstance) => Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The ChatOps control room, wired: the actions service (policy → approvals → locks → execute →
 * audit) with write-back, the chat pipeline with the built-in chat and any other adapters,
 * notifications, and secret redaction. `wheelhouse up` creates one and hands `guard` and
 * `routes` to the HTTP server.
 */
export function createChatOps(deps: ChatOpsDeps): ChatOps {
  const log = deps.log.child({ layer: 'chatops' });
  const config = () => deps.engine.config();
  const safeConfig = () => {
    try {
      return deps.engine.config();
    } catch {
      return undefined;
    }
  };
  const operationDeps: OperationDeps = {
    engine: deps.engine,
    store: deps.store,
    source: deps.source,
    writeBack: createWriteBack({
      git: deps.git,
      dataDir: deps.dataDir,
      log: log.child({ part: 'writeback' }),
      ...signingOf(deps.env ?? process.env),
      ...deps.writeBack,
    }),
    controlRepo: deps.controlRepo,
    log,
    redact: (text) => secrets.redact(text),
  };
  const secrets = createSecretRedaction({
    config: safeConfig,
    env: deps.env ?? process.env,
    engine: deps.engine,
    source: deps.source,
    repoOf: (app) => {
      const spec = safeConfig()?.apps.find((a) => a.name === app);
      return spec ? repoOf(operationDeps, spec) : undefined;
    },
    log,
  });
  const redact = (text: string) => secrets.redact(text);
  const ci = createCiService({ config, env: deps.env ?? process.env });
  let chat: ChatService | undefined;
  const actions = createActions({
    config,
    store: deps.store,
    operations: new Map([
      ...createOperations(operationDeps),
      ...createCiOperations({ ci, follow: { pollMs: deps.ciPollMs ?? CI_POLL_MS } }).map(
        (op) => [op.name, op] as const,
      ),
    ]),
    events: deps.engine.events,
    log,
    redact,
    ...(deps.now ? { now: deps.now } : {}),
    reporterFor: (approval) => chat?.reporterFor(approval),
  });
  const web = createWebChatAdapter({
    store: deps.store,
    events: deps.engine.events,
    log,
    redact,
    ...(deps.now ? { now: deps.now } : {}),
  });
  chat = createChatService({
    engine: deps.engine,
    store: deps.store,
    actions,
    adapters: () => [web, ...(typeof deps.adapters === 'function' ? deps.adapters() : (deps.adapters ?? []))],
    log,
    source: deps.source,
    redact,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.expirySweepMs !== undefined ? { expirySweepMs: deps.expirySweepMs } : {}),
    ...(deps.images ? { images: deps.images } : {}),
  });
  const service = chat;
  const notifier = createNotifier({
    engine: deps.engine,
    store: deps.store,
    config,
    adapter: (platform) => service.adapter(platform),
    log,
    redact,
    commitsFor: async (record) => {
      const spec = config().apps.find((a) => a.name === record.app);
      return spec ? commitsSince(operationDeps, spec, record) : [];
    },
    ...deps.notifications,
  });
  const digest = createWeeklyDigest({
    engine: deps.engine,
    store: deps.store,
    config,
    commits: sourceCommits(deps.engine, deps.source),
    adapter: (platform) => service.adapter(platform),
    log,
    now: deps.now ?? (() => new Date()),
  });
  let unwatch: (() => void) | undefined;
  const describe: DescribeAction = (call) => actionText(call, COMMANDS);

  return {
    actions,
    chat: service,
    web,
    notifier,
    digest,
    redact,
    redactor: () => secrets.redactor(),
    guard: createMutationGuard(actions, describe),
    routes: (userOf, surface) => async (app) => {
      await app.register(
        webChatRoutes({
          adapter: web,
          store: deps.store,
          userOf,
          redact,
          commands: commandCatalog(COMMANDS),
        }),
      );
      await app.register(
        actionRoutes({
          actions,
          config,
          actorOf: surface?.actorOf ?? ((request) => `api:${userOf(request)}`),
          ...(surface?.platformOf ? { platformOf: surface.platformOf } : {}),
          describe,
        }),
      );
    },
    async start() {
      await secrets.scan().catch(() => undefined);
      unwatch = secrets.watch();
      await service.start();
      notifier.start();
      digest.start();
      // Requests a crash cut off: complete their audit entries and their "applying" replies.
      await settleInterrupted({
        store: deps.store,
        events: deps.engine.events,
        log,
        adapter: (platform) => service.adapter(platform),
        findCommit: (requestId) =>
          findRequestCommit(
            deps.git,
            [deps.controlRepo, ...(safeConfig()?.apps ?? []).map((spec) => repoOf(operationDeps, spec))],
            requestId,
          ),
      }).catch((err: unknown) =>
        log.error({ err: errorMessage(err) }, 'could not settle interrupted requests'),
      );
    },
    async stop() {
      notifier.stop();
      digest.stop();
      await notifier.idle();
      await service.stop();
      unwatch?.();
    },
  };
}

/** Write-back commits are signed with `WHEELHOUSE_SIGNING_KEY`, so a verifying source accepts them. */
function signingOf(env: Record<string, string | undefined>): { signing?: CommitSigning } {
  const signing = signingFromEnv(env);
  return signing ? { signing } : {};
}
