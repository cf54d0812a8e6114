import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorMessage, type Logger, type SourceFile, type ValidationIssue } from '../core/index.js';
import {
  manifestYamlInput,
  type ParsedYaml,
  type ParseYamlInput,
  parseYaml,
  type YamlDocument,
} from '../render/index.js';

/** A document as a worker sends it back: everything but `locate`. */
type PlainDocument = Omit<YamlDocument, 'locate'>;
interface PlainParsed {
  documents: PlainDocument[];
  issues: ValidationIssue[];
}
type Reply = { id: number; results: PlainParsed[] } | { id: number; error: string };

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve(results: PlainParsed[]): void; reject(err: Error): void }>;
}

export interface YamlWorkers {
  /**
   * The manifests among `files`, parsed on a worker thread while this one goes on with other
   * apps; `locate` (needed only to report an error) parses its file again here. Empty when no
   * worker can run (their module is missing under a test runner, or one failed): the renderer
   * then parses them itself.
   */
  parseManifests(files: readonly SourceFile[]): Promise<Map<SourceFile, ParsedYaml>>;
  /**
   * Starts the workers now rather than at the first parse: a worker takes a few hundred
   * milliseconds to load its modules, which otherwise the first sync waits for.
   */
  warm(): void;
  close(): Promise<void>;
}

const WORKER = new URL('./yaml-worker-main.js', import.meta.url);

/**
 * Parsing YAML was the largest part of a cold converge after writing files, all of it on the
 * engine's one thread; with 10,000 apps it took 7 s of 40. One worker per spare core (one on two
 * cores, at most two) takes it off that thread.
 */
export function createYamlWorkers(
  log: Logger,
  size = Math.min(2, availableParallelism() - 1),
  /** The worker's module; another only in tests. */
  module: URL = WORKER,
): YamlWorkers {
  const threads: Thread[] = [];
  let next = 0;
  let ids = 0;
  let usable = size > 0 && existsSync(fileURLToPath(module));

  const stopUsing = (why: string): void => {
    if (!usable) return;
    usable = false;
    log.warn({ reason: why }, 'YAML is parsed on the engine thread from now on: a parse worker failed');
    for (const thread of threads.splice(0)) void thread.worker.terminate();
  };

  const start = (): Thread => {
    const worker = new Worker(module);
    worker.unref();
    const thread: Thread = { worker, pending: new Map() };
    const failAll = (err: Error) => {
      for (const waiting of thread.pending.values()) waiting.reject(err);
      thread.pending.clear();
      stopUsing(err.message);
    };
    worker.on('message', (reply: Reply) => {
      const waiting = thread.pending.get(reply.id);
      thread.pending.delete(reply.id);
      if ('error' in reply) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply.results);
    });
    worker.on('error', failAll);
    // Work posted to an exited worker would never be answered: its waiters parse here instead.
    // Exiting is a failure unless `close` asked for it (then `stopUsing` has nothing to do).
    worker.on('exit', (code) => failAll(new Error(`the parse worker exited with code ${code}`)));
    return thread;
  };

  const startAll = (): void => {
    while (usable && threads.length < size) threads.push(start());
  };

  const onWorker = (inputs: ParseYamlInput[]): Promise<PlainParsed[]> => {
    startAll();
    const thread = threads[next++ % threads.length] as Thread;
    const id = ids++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, inputs });
    });
  };

  return {
    async parseManifests(files) {
      const out = new Map<SourceFile, ParsedYaml>();
      const manifests = files.filter((f) => /\.ya?ml$/i.test(f.path));
      if (!usable || manifests.length === 0) return out;
      const inputs = manifests.map(manifestYamlInput);
      let results: PlainParsed[];
      try {
        results = await onWorker(inputs);
      } catch (err) {
        stopUsing(errorMessage(err));
        return out; // the renderer parses them itself
      }
      manifests.forEach((file, i) => {
        const result = results[i];
        const input = inputs[i];
        if (result && input) out.set(file, withLocate(result, input));
      });
      return out;
    },
    warm: startAll,
    async close() {
      usable = false;
      await Promise.all(threads.splice(0).map((thread) => thread.worker.terminate()));
    },
  };
}

/** The worker's result with `locate` put back: the first call parses the file again here. */
function withLocate(plain: PlainParsed, input: ParseYamlInput): ParsedYaml {
  let here: ParsedYaml | undefined;
  return {
    issues: plain.issues,
    documents: plain.documents.map((doc) => ({
      ...doc,
      locate(path, at) {
        here ??= parseYaml(input);
        return here.documents.find((d) => d.index === doc.index)?.locate(path, at) ?? doc.position;
      },
    })),
  };
}
