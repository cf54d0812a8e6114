import { join } from 'node:path';
import { type ChatOps, configuredAdapters, createChatOps } from '../../src/chat/index.js';
import { createCiJobRunner, createCiService } from '../../src/ci/index.js';
import { createTargetDriver } from '../../src/cli/up/targets.js';
import type {
  ChatAdapter,
  ChatMessage,
  Driver,
  Engine,
  Store,
  StoredChatMessage,
} from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { createKindRegistry, driverNames } from '../../src/drivers/index.js';
import { createEngine } from '../../src/engine/index.js';
import { chatEndpointRoutes, createServer, type RunningServer } from '../../src/server/index.js';
import { createGitSource } from '../../src/source/git/index.js';
import { openStore } from '../../src/store/index.js';
import type { ImagesResponse } from '../../src/wire/index.js';
import { createRepo, type FileTree, git } from './git.js';

export type Tmp = (label?: string) => Promise<string>;

/** An adapter that can say when the deliveries it took have been handled. */
interface Idles {
  idle(): Promise<void>;
}
const hasIdle = (adapter: ChatAdapter): adapter is ChatAdapter & Idles =>
  typeof (adapter as Partial<Idles>).idle === 'function';

export interface ChatOpsStackOptions {
  /** Environment the `chat.<platform>` adapters read their secrets from (default: none). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Serve the platforms' endpoints (`/chat/...`) on 127.0.0.1:0 like `wheelhouse up`, and hand
   * the adapters that URL as `publicUrl`.
   */
  http?: boolean;
  /** The public URL adapters put in links (default: the server's URL). */
  publicUrl?: string;
  /**
   * Chat platforms built by the test itself instead of from `chat:` in wheelhouse.yaml; resolved
   * when ChatOps starts (as `wheelhouse up` does).
   */
  adapters?: (stack: { engine: Engine; store: Store; dataDir: string }) => readonly ChatAdapter[];
  /**
   * Run `CIJob` sync hooks on the `ci:` servers (as `wheelhouse up` does), reading tokens from
   * `process.env`; a build is looked at again at once (the emulators advance per look).
   */
  ciJobs?: boolean;
  /** The image checks chat's `images` shows (as `wheelhouse up` wires its image automation). */
  images?: () => ImagesResponse['images'];
}

/**
 * Everything ChatOps runs on, for real and in one process: a bare control repo (write-back
 * pushes to it), a working clone to commit from "outside", the engine with the process driver,
 * SQLite, git sources, and createChatOps with the built-in chat and every platform configured
 * under `chat:` in wheelhouse.yaml (through the adapter registry, as `wheelhouse up` does).
 */
export async function startChatOpsStack(tmp: Tmp, files: FileTree, options: ChatOpsStackOptions = {}) {
  const seed = await tmp('seed');
  await createRepo(seed, files);
  const control = join(await tmp('control'), 'control.git');
  await git(seed, 'clone', '--quiet', '--bare', seed, control);
  const outside = await tmp('outside');
  await git(outside, 'clone', '--quiet', control, '.');
  await git(outside, 'config', 'user.name', 'Someone Else');
  await git(outside, 'config', 'user.email', 'else@example.test');
  const dataDir = await tmp('data');
  const store = await openStore(`sqlite:${join(dataDir, 'wheelhouse.db')}`);
  const source = createGitSource({ dataDir, log: silentLogger });
  const drivers: Driver[] = [];
  const engine = createEngine(
    {
      store,
      source,
      kinds: createKindRegistry(),
      drivers: driverNames(),
      createDriver: (target) => {
        const driver = createTargetDriver(dataDir, target, silentLogger);
        drivers.push(driver);
        return driver;
      },
      log: silentLogger,
      controlRepo: { url: control, ref: 'main' },
      ...(options.ciJobs
        ? {
            ciJobs: createCiJobRunner(createCiService({ config: () => engine.config(), env: process.env }), {
              pollMs: 0,
            }),
          }
        : {}),
    },
    { controlIntervalMs: 3_600_000, retryBaseMs: 0 },
  );
  await engine.start();
  await engine.settled();
  const clock = { offsetMs: 0 };
  /** The platform adapters ChatOps started. */
  let adapters: ChatAdapter[] = [];
  const chatops: ChatOps = createChatOps({
    engine,
    store,
    source,
    git: source,
    dataDir,
    log: silentLogger,
    controlRepo: { url: control, ref: 'main' },
    expirySweepMs: 0,
    ...(options.images ? { images: options.images } : {}),
    // CI builds followed in threads: look again at once (the emulators advance per look, not by time).
    ciPollMs: 0,
    now: () => new Date(Date.now() + clock.offsetMs),
    adapters: () => {
      const publicUrl = options.publicUrl ?? server?.url;
      adapters = [
        ...(options.adapters?.({ engine, store, dataDir }) ??
          configuredAdapters(engine.config(), {
            env: options.env ?? {},
            log: silentLogger,
            stateDir: join(dataDir, 'chat'),
            store,
            ...(publicUrl ? { publicUrl } : {}),
          })),
      ];
      return adapters;
    },
  });
  const server: RunningServer | undefined = options.http
    ? await createServer(
        {
          engine,
          store,
          log: silentLogger,
          dataDir,
          guard: chatops.guard,
          plugins: { public: [chatEndpointRoutes(() => chatops.chat.endpoints())] },
        },
        { port: 0 },
      )
    : undefined;
  await chatops.start();

  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.all(adapters.filter(hasIdle).map((a) => a.idle()));
      await chatops.web.idle();
      await chatops.chat.idle();
      await engine.settled();
      await chatops.notifier.idle();
    }
  };
  const thread = async (room: string, id: string) => store.listChatMessages(room, { thread: id, limit: 500 });

  return {
    engine,
    store,
    source,
    chatops,
    /** Move the ChatOps clock (approval expiry) forward. */
    clock,
    control,
    dataDir,
    /** The HTTP server's base URL, with `http: true`. */
    url: server?.url ?? '',
    /** The started platform adapter of `platform`. */
    adapter: (platform: string) => adapters.find((a) => a.platform === platform),
    settle,
    thread,
    /** Say something in room `ops` as `user`; resolves with the bot's replies once everything settled. */
    async say(user: string, text: string, inThread?: string) {
      const request = await chatops.web.receive({
        room: 'ops',
        user,
        text,
        ...(inThread ? { thread: inThread } : {}),
      });
      await settle();
      const all = await thread('ops', inThread ?? request.id);
      const replies = all.slice(all.findIndex((m) => m.id === request.id) + 1).filter((m) => m.bot);
      const final = replies.at(-1);
      return { request, replies, final, text: final?.text ?? '', status: statusOf(final) };
    },
    /** Commit from outside Wheelhouse (someone pushing to the control repo) and let the engine see it. */
    async pushFromOutside(change: FileTree, message: string): Promise<string> {
      await git(outside, 'pull', '--quiet', '--rebase');
      const { commitFiles } = await import('./git.js');
      const sha = await commitFiles(outside, change, message);
      await git(outside, 'push', '--quiet', 'origin', 'HEAD:main');
      await engine.refreshRepo(control);
      await engine.settled();
      return sha;
    },
    async close() {
      await server?.close();
      await chatops.stop();
      await engine.stop();
      // A docker driver cannot tear down once stopped; Podman's reset removes its containers.
      await Promise.all(drivers.map((d) => d.teardown?.().catch(() => undefined)));
      await source.close();
      await store.close();
    },
  };
}

export function statusOf(message: StoredChatMessage | undefined): ChatMessage['status'] | undefined {
  return (message?.body as ChatMessage | undefined)?.status;
}
