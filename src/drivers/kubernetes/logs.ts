import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { Log } from '@kubernetes/client-node';
import { errorMessage, type LogLine, WheelhouseError } from '../../core/index.js';
import type { KubeObject } from './kube-object.js';
import { podWithoutLogs } from './log-source.js';
import type { Runtime } from './runtime.js';

/** Reading logs goes through the node's kubelet; a node without one (kwok) must not hang a request. */
const LOG_TIMEOUT_MS = 5_000;

function containersOf(pod: KubeObject): string[] {
  const containers = (pod.spec?.containers ?? []) as { name?: unknown }[];
  return containers.map((c) => String(c.name));
}

function splitLine(text: string, source: string): LogLine {
  const space = text.indexOf(' ');
  const at = space > 0 ? text.slice(0, space) : '';
  return /^\d{4}-\d\d-\d\dT/.test(at)
    ? { at, stream: 'stdout', source, text: text.slice(space + 1) }
    : { stream: 'stdout', source, text };
}

/** The last lines of each container of some Pods, oldest first per container. */
export async function readPodLogs(
  rt: Runtime,
  pods: readonly KubeObject[],
  tail: number,
): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for (const pod of await podsWithLogs(rt, pods)) {
    for (const container of containersOf(pod)) {
      const source = `${pod.metadata.name}/${container}`;
      let text: string;
      try {
        text = await rt.client.request<string>({
          method: 'GET',
          path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/log`,
          query: { container, tailLines: tail, timestamps: true },
          signal: AbortSignal.timeout(LOG_TIMEOUT_MS),
          text: true,
        });
      } catch (err) {
        throw noLogs(pod, err);
      }
      for (const line of String(text ?? '').split('\n')) if (line) out.push(splitLine(line, source));
    }
  }
  return out
    .sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? -1 : (a.at ?? '') > (b.at ?? '') ? 1 : 0))
    .slice(-tail);
}

/** Like `readPodLogs`, for a hook's result: a cluster without logs gives a line saying so. */
export async function podLogTail(rt: Runtime, pods: readonly KubeObject[], tail: number): Promise<string[]> {
  try {
    return (await readPodLogs(rt, pods, tail)).map((l) => `${l.source}: ${l.text}`);
  } catch (err) {
    return [errorMessage(err)];
  }
}

/** Follows the Pods' containers until the signal aborts. */
export async function* followPodLogs(
  rt: Runtime,
  pods: readonly KubeObject[],
  tail: number,
  signal: AbortSignal | undefined,
): AsyncIterable<LogLine> {
  const log = new Log(rt.client.config);
  const stream = new PassThrough();
  const controllers: AbortController[] = [];
  let open = 0;
  for (const pod of await podsWithLogs(rt, pods)) {
    for (const container of containersOf(pod)) {
      const source = `${pod.metadata.name}/${container}`;
      const lines = new PassThrough();
      createInterface({ input: lines }).on('line', (line) =>
        stream.write(`${JSON.stringify(splitLine(line, source))}\n`),
      );
      open += 1;
      lines.on('close', () => {
        open -= 1;
        if (open === 0) stream.end();
      });
      try {
        controllers.push(
          await log.log(pod.metadata.namespace ?? '', pod.metadata.name, container, lines, {
            follow: true,
            tailLines: tail,
            timestamps: true,
          }),
        );
      } catch (err) {
        for (const c of controllers) c.abort();
        throw noLogs(pod, err);
      }
    }
  }
  const stop = () => {
    for (const c of controllers) c.abort();
    stream.end();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const line of createInterface({ input: stream })) yield JSON.parse(line) as LogLine;
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}

/**
 * The Pods whose logs may be there (not pending, not on a kwok fake node); when there is none,
 * fails at once saying why for the first Pod, instead of waiting on kubelets that do not exist.
 */
async function podsWithLogs(rt: Runtime, pods: readonly KubeObject[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  let first: WheelhouseError | undefined;
  for (const pod of pods) {
    const why = await podWithoutLogs(rt, pod);
    if (why) first ??= why;
    else out.push(pod);
  }
  if (out.length === 0 && first) throw first;
  return out;
}

function noLogs(pod: KubeObject, err: unknown): WheelhouseError {
  const node = typeof pod.spec?.nodeName === 'string' ? pod.spec.nodeName : undefined;
  return new WheelhouseError(
    'UNAVAILABLE',
    `the cluster did not serve the logs of Pod ${pod.metadata.namespace}/${pod.metadata.name}${node ? ` on node ${node}` : ''}: ${errorMessage(err)} — logs come from the node's kubelet; fake nodes (kwok) and unreachable nodes have none`,
    { cause: err },
  );
}
