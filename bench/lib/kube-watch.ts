import { type ChildProcess, spawn } from 'node:child_process';
import { kubeBinary } from '../../test/support/kube/binaries.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface SeenEvent {
  type: string;
  name: string;
  /** performance.now() when the line arrived. */
  at: number;
}

/** The events of one kind in one namespace, as `kubectl get --watch` prints them, timestamped. */
export interface KubeWatch {
  /** A position in the event log; `waitFor` looks only at events after it. */
  mark(): number;
  /** When the first `type` event for `name` after `from` arrived (performance.now() clock). */
  waitFor(type: WatchEventType, name: string, from: number, timeoutMs?: number): Promise<number>;
  stop(): void;
}

/**
 * Watches `resource` in `namespace` through `kubectl get --watch-only --output-watch-events`,
 * one line per event. Deletion and re-creation seen on the same stream share its latency, so
 * their difference is the time the object was missing.
 */
export function watchResource(kubeconfig: string, resource: string, namespace: string): KubeWatch {
  const events: SeenEvent[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  let stopped = false;
  let failures = 0;
  let child: ChildProcess;

  // The API server ends every watch after --min-request-timeout (30 to 60 minutes): a long run
  // outlives one, so the watch is opened again (a burst of failures in a row ends it for good).
  const open = () => {
    const opened = Date.now();
    let pending = '';
    child = spawn(
      kubeBinary('kubectl'),
      [
        '--kubeconfig',
        kubeconfig,
        'get',
        resource,
        '-n',
        namespace,
        '--watch-only',
        '--output-watch-events',
        '-o',
        'jsonpath={.type} {.object.metadata.name}{"\\n"}',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const at = performance.now();
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [type = '', name = ''] = line.trim().split(' ');
        events.push({ type, name, at });
      }
      for (const listener of listeners) listener();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('exit', () => {
      if (stopped) return;
      failures = Date.now() - opened < 5_000 ? failures + 1 : 0;
      if (failures < 3) {
        open();
        return;
      }
      exited = true;
      for (const listener of listeners) listener();
    });
  };
  let exited = false;
  open();

  return {
    mark: () => events.length,
    waitFor(type, name, from, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find((event) => event.type === type && event.name === name);
          if (found !== undefined) {
            done();
            resolve(found.at);
          } else if (exited) {
            done();
            reject(new Error(`kubectl watch of ${resource} ended: ${stderr.trim() || 'no message'}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${type} event for ${resource} ${name} within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    stop() {
      stopped = true;
      child.kill();
    },
  };
}
