import { join } from 'node:path';
import { configuredAdapters } from '../../src/chat/index.js';
import type { ChatAdapter } from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { chatEndpointRoutes, createServer, type RunningServer } from '../../src/server/index.js';
import { startChatOpsStack, type Tmp } from './chatops-stack.js';
import type { FileTree } from './git.js';

/** An adapter that can say when the deliveries it took have been handled. */
interface Idles {
  idle(): Promise<void>;
}
const hasIdle = (adapter: ChatAdapter): adapter is ChatAdapter & Idles =>
  typeof (adapter as Partial<Idles>).idle === 'function';

/**
 * ChatOps as `wheelhouse up` wires it for chat platforms: the adapters come from the registry
 * (`configuredAdapters`, one per `chat.<platform>` section of the control repo's wheelhouse.yaml,
 * secrets read from `env`, delivery ids in the store), and the real HTTP server serves their
 * `/chat/...` endpoints on 127.0.0.1:0.
 */
export async function startPlatformStack(
  tmp: Tmp,
  files: FileTree,
  options: { env: Readonly<Record<string, string | undefined>>; publicUrl?: string },
) {
  let adapters: ChatAdapter[] = [];
  const stack = await startChatOpsStack(tmp, files, {
    adapters: ({ engine, store, dataDir }) => {
      adapters = configuredAdapters(engine.config(), {
        env: options.env,
        log: silentLogger,
        stateDir: join(dataDir, 'chat'),
        store,
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      });
      return adapters;
    },
  });
  let server: RunningServer;
  try {
    server = await createServer(
      {
        engine: stack.engine,
        store: stack.store,
        log: silentLogger,
        dataDir: stack.dataDir,
        plugins: { public: [chatEndpointRoutes(() => stack.chatops.chat.endpoints())] },
      },
      { port: 0 },
    );
  } catch (err) {
    await stack.close();
    throw err;
  }
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.all(adapters.filter(hasIdle).map((a) => a.idle()));
      await stack.settle();
    }
  };
  return {
    ...stack,
    server,
    /** The started platform adapters. */
    adapters: () => adapters,
    adapter: (platform: string) => adapters.find((a) => a.platform === platform),
    /** Everything handed to the pipeline, the engine and the notifier has settled. */
    settle,
    async close() {
      await server.close();
      await stack.close();
    },
  };
}
