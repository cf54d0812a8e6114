import type { ActionResult, Actions, ApprovedRunReporter } from '../../access/index.js';
import { displayName } from '../../access/index.js';
import {
  type Approval,
  type ChatAction,
  type ChatAdapter,
  type ChatHandler,
  type Engine,
  errorMessage,
  type HttpEndpoint,
  type IncomingMessage,
  type Logger,
  type SourceProvider,
  type Store,
} from '../../core/index.js';
import { createInFlight } from '../../util/index.js';
import type { ImagesResponse } from '../../wire/index.js';
import type { CommandDefinition } from '../commands/definition.js';
import { COMMANDS } from '../commands/registry.js';
import type { Middleware } from './compose.js';
import type { ChatRequest } from './context.js';
import type { ChatDeps } from './deps.js';
import { buildPipeline } from './pipeline.js';
import { decidedRequestMessage, resultMessage, workingMessage } from './render-result.js';
import { createThreadReply } from './thread.js';

export interface ChatServiceOptions {
  engine: Engine;
  store: Store;
  actions: Actions;
  /** The platforms, resolved at `start()` (their settings come from the loaded configuration). */
  adapters: readonly ChatAdapter[] | (() => readonly ChatAdapter[]);
  log: Logger;
  source?: SourceProvider;
  commands?: readonly CommandDefinition[];
  redact?: (text: string) => string;
  now?: () => Date;
  prefixes?: readonly string[];
  /** The image policies and their last checks (`images` in chat); absent: none are watched. */
  images?: () => ImagesResponse['images'];
  /** Extra middlewares, run right after normalize. */
  use?: readonly Middleware<ChatRequest>[];
  /** How often pending approvals are checked for expiry (default 15 s; 0 turns the sweep off). */
  expirySweepMs?: number;
}

export interface ChatService extends ChatHandler {
  start(): Promise<void>;
  stop(): Promise<void>;
  adapter(platform: string): ChatAdapter | undefined;
  /** HTTP endpoints of the started adapters, for the server's `/chat/...` routes. */
  endpoints(): HttpEndpoint[];
  /** For `createActions({ reporterFor })`: where an approved request reports as it runs. */
  reporterFor(approval: Approval): ApprovedRunReporter | undefined;
  /** Resolves when every request in flight has settled. */
  idle(): Promise<void>;
}

const DEFAULT_PREFIXES = ['!wh', '/wh', '@wheelhouse', 'wheelhouse', 'wh'];

export function createChatService(options: ChatServiceOptions): ChatService {
  const resolve = () => (typeof options.adapters === 'function' ? options.adapters() : options.adapters);
  let adapters = new Map<string, ChatAdapter>();
  const deps: ChatDeps = {
    engine: options.engine,
    store: options.store,
    actions: options.actions,
    ...(options.source ? { source: options.source } : {}),
    commands: options.commands ?? COMMANDS,
    log: options.log,
    redact: options.redact ?? ((text) => text),
    now: options.now ?? (() => new Date()),
    prefixes: options.prefixes ?? DEFAULT_PREFIXES,
    ...(options.images ? { images: options.images } : {}),
  };
  const run = buildPipeline(deps, options.use);
  const inFlight = createInFlight();
  let unsubscribe: (() => void) | undefined;
  let sweeper: NodeJS.Timeout | undefined;

  const track = (work: Promise<void>): Promise<void> => inFlight.track(work);

  function handle(incoming: IncomingMessage, fromAction = false): Promise<void> {
    const adapter = adapters.get(incoming.platform);
    if (!adapter) {
      options.log.warn(
        { platform: incoming.platform },
        'chat message from a platform with no adapter; ignored',
      );
      return Promise.resolve();
    }
    const log = options.log.child({
      platform: incoming.platform,
      channel: incoming.channel,
      message: incoming.ts,
    });
    const ctx: ChatRequest = {
      incoming,
      adapter,
      actor: `${incoming.platform}:${incoming.user}`,
      text: '',
      log,
      reply: createThreadReply(
        adapter,
        { channel: incoming.channel, thread: incoming.thread ?? incoming.ts },
        log,
      ),
      audited: false,
      ignored: false,
      ...(fromAction ? { fromAction: true } : {}),
    };
    return track(
      run(ctx).catch((err) => {
        log.error({ err: errorMessage(err) }, 'chat pipeline failed');
      }),
    );
  }

  async function updateRequestReply(approval: Approval): Promise<void> {
    const origin = approval.origin;
    const adapter = origin ? adapters.get(origin.platform) : undefined;
    if (!origin?.replyId || !adapter) return;
    const ref = {
      platform: origin.platform,
      channel: origin.channel,
      ...(origin.thread ? { thread: origin.thread } : {}),
      id: origin.replyId,
    };
    try {
      await adapter.update(ref, decidedRequestMessage(approval, options.engine.config().people));
    } catch (err) {
      options.log.warn(
        { approval: approval.id, err: errorMessage(err) },
        'could not update the approval request message',
      );
    }
  }

  const service: ChatService = {
    onMessage: (message) => handle(message),
    async onAction(action: ChatAction) {
      const verb =
        action.action === 'approval.approve'
          ? 'approve'
          : action.action === 'approval.deny'
            ? 'deny'
            : undefined;
      if (!verb) {
        options.log.warn({ action: action.action }, 'unknown chat button action; ignored');
        return;
      }
      await handle(
        {
          platform: action.platform,
          channel: action.message.channel,
          thread: action.message.thread ?? action.message.id,
          user: action.user,
          text: `${verb} ${action.value}`,
          ts: `${action.message.id}:${action.user}:${action.action}`,
        },
        true,
      );
    },
    async start() {
      adapters = new Map(resolve().map((a) => [a.platform, a]));
      for (const adapter of adapters.values()) await adapter.start(service);
      unsubscribe = options.engine.events.subscribe((event) => {
        if (event.type !== 'approval.decided' || event.replica !== undefined) return;
        void options.store
          .getApproval(event.approvalId)
          .then((approval) => (approval ? updateRequestReply(approval) : undefined))
          .catch((err) => options.log.warn({ err: errorMessage(err) }, 'could not load a decided approval'));
      });
      const every = options.expirySweepMs ?? 15_000;
      if (every > 0) {
        sweeper = setInterval(() => {
          void options.actions
            .expireDue()
            .catch((err) => options.log.warn({ err: errorMessage(err) }, 'approval expiry sweep failed'));
        }, every);
        sweeper.unref();
      }
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      unsubscribe?.();
      await service.idle();
      for (const adapter of adapters.values()) await adapter.stop();
    },
    adapter: (platform) => adapters.get(platform),
    endpoints: () => [...adapters.values()].flatMap((adapter) => adapter.endpoints ?? []),
    reporterFor(approval) {
      const origin = approval.origin;
      const adapter = origin ? adapters.get(origin.platform) : undefined;
      if (!origin || !adapter) return undefined;
      const thread = origin.thread ?? origin.messageId;
      if (!thread) return undefined;
      const log = options.log.child({ approval: approval.id });
      const reply = createThreadReply(adapter, { channel: origin.channel, thread }, log);
      const requester = options.actions.identity(approval.requester);
      const what = `\`${approval.text}\` (approved by ${approval.decisions
        .filter((d) => d.decision === 'approve')
        .map((d) => displayName(options.actions.identity(d.actor)))
        .join(', ')})`;
      void reply.send(workingMessage(what, requester));
      return {
        progress: (step) => void reply.send(workingMessage(what, requester, step)),
        finished: (result: ActionResult) => {
          void reply.send(resultMessage(result, requester, deps.now()));
          void options.store
            .getApproval(approval.id)
            .then((latest) => (latest ? updateRequestReply(latest) : undefined))
            .catch(() => undefined);
        },
      };
    },
    async idle() {
      await inFlight.idle();
    },
  };
  return service;
}
