import { join } from 'node:path';
import { configuredAdapters, createChatOps } from '../../src/chat/index.js';
import { silentLogger } from '../../src/core/index.js';
import { chatEndpointRoutes, createServer, type RunningServer } from '../../src/server/index.js';
import { benchEngine } from './engine.js';

/**
 * `wheelhouse up` in miniature for the chat scenarios: the engine (process driver, git, SQLite),
 * ChatOps with the built-in chat and every platform under `chat:` in the control repo's
 * wheelhouse.yaml (secrets from `env`), and with `http` the real server for their `/chat/...`
 * endpoints on 127.0.0.1:0.
 */
export async function benchChatOps(
  control: string,
  dataDir: string,
  options: { env?: Readonly<Record<string, string>>; http?: boolean } = {},
) {
  const bench = await benchEngine(control, dataDir);
  const { engine, store, source } = bench;
  await engine.start();
  await engine.settled();
  let server: RunningServer | undefined;
  const chatops = createChatOps({
    engine,
    store,
    source,
    git: source,
    dataDir,
    log: silentLogger,
    controlRepo: { url: control, ref: 'main' },
    adapters: () =>
      configuredAdapters(engine.config(), {
        env: options.env ?? {},
        log: silentLogger,
        stateDir: join(dataDir, 'chat'),
        store,
        ...(server ? { publicUrl: server.url } : {}),
      }),
  });
  if (options.http) {
    server = await createServer(
      {
        engine,
        store,
        log: silentLogger,
        dataDir,
        guard: chatops.guard,
        plugins: { public: [chatEndpointRoutes(() => chatops.chat.endpoints())] },
      },
      { port: 0 },
    );
  }
  await chatops.start();
  return {
    engine,
    store,
    chatops,
    /** The server's base URL (with `http`), else empty. */
    url: server?.url ?? '',
    async close() {
      await server?.close();
      await chatops.stop();
      await bench.close();
    },
  };
}
