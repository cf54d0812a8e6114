import { join } from 'node:path';
import { type Actions, createActions } from '../../src/access/actions.js';
import type { Operation, OperationContext } from '../../src/access/operation.js';
import { createWebChatAdapter, type WebChatAdapter } from '../../src/chat/adapters/web/index.js';
import { type ChatService, createChatService } from '../../src/chat/core/service.js';
import type { ChatMessage, ControlConfig, Engine, Store, StoredChatMessage } from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';

export interface RecordedRun {
  command: string;
  actor: string;
  approvers: string[];
  args: Readonly<Record<string, unknown>>;
}

export interface ChatHarness {
  /** The data directory (the SQLite file is `wheelhouse.db` in it). */
  dir: string;
  store: Store;
  engine: Engine;
  actions: Actions;
  chat: ChatService;
  web: WebChatAdapter;
  runs: RecordedRun[];
  clock: { now: Date };
  /** Post as `user` in room `ops` (or a thread) and wait until the command settled; returns the thread. */
  say(
    user: string,
    text: string,
    thread?: string,
  ): Promise<{ request: StoredChatMessage; replies: StoredChatMessage[] }>;
  /** The bot's replies in a thread, oldest first. */
  thread(id: string): Promise<StoredChatMessage[]>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** An operation that records who ran it (as whom, approved by whom) instead of changing anything. */
export function recordingOperation(name: string, runs: RecordedRun[]): Operation {
  return {
    name,
    app: (args) => (typeof args.app === 'string' ? args.app : undefined),
    describe: (args) => `${name} ${String(args.app)}`,
    async run(ctx: OperationContext, args) {
      ctx.progress('working');
      runs.push({
        command: name,
        actor: ctx.identity.actor,
        approvers: ctx.approvers.map((a) => a.actor),
        args,
      });
      return { ok: true, summary: `${name} ${String(args.app)} done as ${ctx.identity.actor}` };
    },
  };
}

/** The chat pipeline on a real SQLite store, the built-in chat adapter and the given operations. */
export async function createChatHarness(input: {
  dir: string;
  engine: Engine;
  operations: (runs: RecordedRun[], store: Store) => Map<string, Operation>;
  redact?: (text: string) => string;
}): Promise<ChatHarness> {
  const clock = { now: new Date('2030-01-01T00:00:00Z') };
  const now = () => new Date(clock.now.getTime());
  const store = await createSqliteStore({ file: join(input.dir, 'wheelhouse.db') });
  const runs: RecordedRun[] = [];
  let chat: ChatService | undefined;
  const redact = input.redact ?? ((t: string) => t);
  const actions = createActions({
    config: () => input.engine.config() as ControlConfig,
    store,
    operations: input.operations(runs, store),
    events: input.engine.events,
    log: silentLogger,
    redact,
    now,
    reporterFor: (approval) => chat?.reporterFor(approval),
  });
  const web = createWebChatAdapter({ store, events: input.engine.events, log: silentLogger, redact, now });
  chat = createChatService({
    engine: input.engine,
    store,
    actions,
    adapters: [web],
    log: silentLogger,
    redact,
    now,
    expirySweepMs: 0,
  });
  await chat.start();
  const service = chat;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await web.idle();
      await service.idle();
    }
  };
  const thread = async (id: string) =>
    (await store.listChatMessages('ops', { thread: id, limit: 500 })).filter((m) => m.bot);
  return {
    dir: input.dir,
    store,
    engine: input.engine,
    actions,
    chat: service,
    web,
    runs,
    clock,
    async say(user, text, inThread) {
      const request = await web.receive({
        room: 'ops',
        user,
        text,
        ...(inThread ? { thread: inThread } : {}),
      });
      await settle();
      const all = await store.listChatMessages('ops', { thread: inThread ?? request.id, limit: 500 });
      const after = all.slice(all.findIndex((m) => m.id === request.id) + 1);
      return { request, replies: after.filter((m) => m.bot) };
    },
    thread,
    settle,
    async close() {
      await service.stop();
      await store.close();
    },
  };
}

/** The final status of a bot reply (its neutral message's status). */
export function statusOf(message: StoredChatMessage | undefined): ChatMessage['status'] | undefined {
  return (message?.body as ChatMessage | undefined)?.status;
}
