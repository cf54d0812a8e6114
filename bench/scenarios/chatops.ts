import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChatMessage } from '../../src/core/index.js';
import { runGit } from '../../src/source/git/index.js';
import { freePort } from '../../test/support/ports.js';
import { benchChatOps } from '../lib/chatops.js';
import { importHistory } from '../lib/fast-import.js';
import type { BenchContext, Scenario } from '../lib/scenario.js';
import { latencyRow } from '../lib/stats.js';

const ROUND_TRIPS = 200;
const SYNCS = 10;

const SERVER = `import { createServer } from 'node:http';
const server = createServer((req, res) => res.writeHead(200).end(process.env.GREETING ?? ''));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const manifest = (port: number, greeting: string) => `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "server.mjs"]
  cwd: services/web
  env: { PORT: "${port}", GREETING: "${greeting}" }
  health:
    http: { url: "http://127.0.0.1:${port}/" }
    periodSeconds: 1
`;

/** The engine (process driver, SQLite, git) and ChatOps with the built-in chat, on a fresh control repo. */
async function startStack(context: BenchContext, port: number) {
  const base = await context.tmp('chatops');
  const control = join(base, 'control.git');
  await importHistory(control, [
    {
      message: 'initial\n',
      files: {
        'wheelhouse.yaml': 'apps:\n  - name: web\n    path: apps/web\n    environment: dev\n',
        'apps/web/web.yaml': manifest(port, 'v0'),
        'services/web/server.mjs': SERVER,
      },
    },
  ]);
  const work = join(base, 'work');
  await runGit(['clone', '--quiet', control, work]);
  const stack = await benchChatOps(control, join(base, 'data'));
  return {
    engine: stack.engine,
    store: stack.store,
    chatops: stack.chatops,
    async commit(greeting: string) {
      await writeFile(join(work, 'apps/web/web.yaml'), manifest(port, greeting));
      const env = {
        GIT_AUTHOR_NAME: 'Bench',
        GIT_AUTHOR_EMAIL: 'bench@example.test',
        GIT_COMMITTER_NAME: 'Bench',
        GIT_COMMITTER_EMAIL: 'bench@example.test',
      };
      await runGit(['commit', '--quiet', '-am', `greet ${greeting}`], { cwd: work, env });
      await runGit(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: work });
    },
    close: stack.close,
  };
}

type Stack = Awaited<ReturnType<typeof startStack>>;

/** Post as the admin in room `ops`; resolves when the bot's first reply, and when a final one, exists. */
function say(stack: Stack, text: string): { first: Promise<number>; final: Promise<number> } {
  const started = performance.now();
  let requestId: string | undefined;
  let resolveFirst: (ms: number) => void = () => {};
  let resolveFinal: (ms: number) => void = () => {};
  const first = new Promise<number>((r) => {
    resolveFirst = r;
  });
  const final = new Promise<number>((r) => {
    resolveFinal = r;
  });
  const pending: { id: string; thread?: string }[] = [];
  const check = async (messageId: string, thread: string | undefined) => {
    if (thread !== requestId) return;
    const message = await stack.store.getChatMessage(messageId);
    if (!message?.bot) return;
    resolveFirst(performance.now() - started);
    const status = (message.body as ChatMessage | undefined)?.status;
    if (status && status !== 'working') resolveFinal(performance.now() - started);
  };
  const off = stack.engine.events.subscribe((event) => {
    if (event.type !== 'chat.message' || event.room !== 'ops') return;
    if (requestId === undefined)
      pending.push({ id: event.messageId, ...(event.thread ? { thread: event.thread } : {}) });
    else void check(event.messageId, event.thread);
  });
  void stack.chatops.web.receive({ room: 'ops', user: 'admin', text }).then((request) => {
    requestId = request.id;
    for (const p of pending.splice(0)) void check(p.id, p.thread);
  });
  void final.then(off);
  return { first, final };
}

/** Chat round trip: a message in the built-in chat → the bot's first reply in its thread. */
export const chatRoundTrip: Scenario = {
  name: 'chat-round-trip',
  description: `built-in chat: message → first bot reply, p95 over ${ROUND_TRIPS} commands (status, whoami, sync)`,
  async run(context) {
    const stack = await startStack(context, await freePort());
    try {
      const commands = ['status', 'whoami', 'status web', 'sync web'];
      const first: number[] = [];
      const final: number[] = [];
      for (let i = 0; i < ROUND_TRIPS; i++) {
        const command = commands[i % commands.length] ?? 'status';
        const timing = say(stack, command);
        first.push(await timing.first);
        final.push(await timing.final);
        await stack.chatops.chat.idle();
      }
      return [latencyRow('first reply p95', first, 'p95 < 100 ms'), latencyRow('final reply p95', final)];
    } finally {
      await stack.close();
    }
  },
};

/** `sync` from chat: after a commit, the time from the chat message to the reply that says it is applied. */
export const chatSyncApplied: Scenario = {
  name: 'chat-sync-applied',
  description: `built-in chat: commit, then "sync web" → reply "applied, Healthy", p95 over ${SYNCS} commits`,
  async run(context) {
    const stack = await startStack(context, await freePort());
    try {
      const samples: number[] = [];
      const acks: number[] = [];
      for (let i = 1; i <= SYNCS; i++) {
        await stack.commit(`v${i}`);
        const timing = say(stack, 'sync web');
        acks.push(await timing.first);
        samples.push(await timing.final);
        await stack.chatops.chat.idle();
      }
      return [
        latencyRow('sync → applied p95', samples, 'p50 < 1 s + start time'),
        latencyRow('sync acknowledgement p95', acks),
      ];
    } finally {
      await stack.close();
    }
  },
};
