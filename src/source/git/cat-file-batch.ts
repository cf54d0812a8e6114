import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { WheelhouseError } from '../../core/index.js';
import { gitStartFailure } from './git-start-failure.js';
import { DEFAULT_GIT_TIMEOUT_MS, gitEnv, killGroup, type SpawnHook, stderrSummary } from './run-git.js';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export type ObjectInfo =
  | { name: string; status: 'found'; oid: string; type: ObjectType; size: number }
  | { name: string; status: 'missing' | 'ambiguous' };

export type ObjectContent =
  | { name: string; status: 'found'; oid: string; type: ObjectType; size: number; content: Buffer }
  | { name: string; status: 'missing' | 'ambiguous' };

export interface CatFileBatchOptions {
  gitDir: string;
  /** Sanitized repo URL for messages. */
  repo: string;
  timeoutMs?: number;
  baseEnv?: Readonly<Record<string, string | undefined>>;
  onSpawn?: SpawnHook;
}

type Mode = 'info' | 'contents';

interface Request {
  mode: Mode;
  names: readonly string[];
  results: ObjectContent[];
  resolve: (results: ObjectContent[]) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
}

/** Object names go on one line each; refuse anything that would break the line protocol. */
export function assertBatchName(name: string): void {
  if (/[\n\r\0]/.test(name) || name === '') {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `object name ${JSON.stringify(name)} is empty or holds a line break`,
    );
  }
}

/**
 * One `git cat-file --batch-command --buffer` process: requests are pipelined, answered in order,
 * each bounded by the timeout (on expiry the process group is killed and every waiting request fails).
 */
class BatchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Request[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  private need = 1;
  private stderr = '';
  dead = false;
  readonly exited: Promise<void>;

  constructor(private readonly options: CatFileBatchOptions) {
    const args = [`--git-dir=${options.gitDir}`, 'cat-file', '--batch-command', '--buffer'];
    this.child = spawn('git', args, {
      env: gitEnv(options.baseEnv),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (this.child.pid !== undefined) options.onSpawn?.({ pid: this.child.pid, args });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-8192);
    });
    this.child.stdin.on('error', () => {
      // The process died; the 'close' handler reports it to every waiting request.
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (cause) => {
        this.failAll(
          new WheelhouseError(
            'GIT_FAILED',
            `reading objects of ${options.repo} could not start git: ${gitStartFailure(cause)}`,
            { cause, details: { repo: options.repo } },
          ),
        );
        resolve();
      });
      this.child.on('close', (code) => {
        this.failAll(
          new WheelhouseError(
            'GIT_FAILED',
            `git cat-file for ${options.repo} exited (code ${code ?? 'signal'}): ${stderrSummary(this.stderr)}; the mirror may be damaged: remove it from the data dir to fetch it again`,
            { details: { repo: options.repo } },
          ),
        );
        resolve();
      });
    });
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }

  request(mode: Mode, names: readonly string[]): Promise<ObjectContent[]> {
    for (const name of names) assertBatchName(name);
    if (names.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.kill(
          new WheelhouseError(
            'GIT_TIMEOUT',
            `reading objects of ${this.options.repo} did not finish within ${Math.round(timeoutMs / 1000)}s; git cat-file was stopped. Check the disk holding the data dir, or raise the git timeout`,
            { details: { repo: this.options.repo, timeoutMs } },
          ),
        );
      }, timeoutMs);
      this.queue.push({ mode, names, results: [], resolve, reject, timer });
      const lines = names.map((n) => `${mode} ${n}\n`).join('');
      this.child.stdin.write(`${lines}flush\n`);
    });
  }

  /** Finish what is queued, then exit. */
  end(): void {
    this.child.stdin.end();
  }

  kill(error: WheelhouseError): void {
    this.failAll(error);
    killGroup(this.child.pid);
  }

  private failAll(error: WheelhouseError): void {
    this.dead = true;
    for (const req of this.queue.splice(0)) {
      clearTimeout(req.timer);
      req.reject(error);
    }
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.need) return;
    let buf = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    let pos = 0;
    this.need = 1;
    while (this.queue.length > 0) {
      const req = this.queue[0] as Request;
      const name = req.names[req.results.length] as string;
      const nl = buf.indexOf(10, pos);
      if (nl < 0) {
        this.need = buf.length - pos + 1;
        break;
      }
      const header = buf.toString('utf8', pos, nl);
      if (header === `${name} missing` || header === `${name} ambiguous`) {
        req.results.push({ name, status: header.endsWith('missing') ? 'missing' : 'ambiguous' });
        pos = nl + 1;
      } else {
        const [oid, type, sizeText] = header.split(' ');
        const size = Number(sizeText);
        if (oid === undefined || type === undefined || !Number.isInteger(size)) {
          this.kill(
            new WheelhouseError('GIT_FAILED', `git cat-file for ${this.options.repo} answered unexpectedly`, {
              details: { repo: this.options.repo },
            }),
          );
          return;
        }
        const found = { name, status: 'found' as const, oid, type: type as ObjectType, size };
        if (req.mode === 'info') {
          req.results.push({ ...found, content: Buffer.alloc(0) });
          pos = nl + 1;
        } else {
          const end = nl + 1 + size;
          if (buf.length < end + 1) {
            this.need = end + 1 - pos;
            break;
          }
          req.results.push({ ...found, content: Buffer.from(buf.subarray(nl + 1, end)) });
          pos = end + 1;
        }
      }
      if (req.results.length === req.names.length) {
        this.queue.shift();
        clearTimeout(req.timer);
        req.resolve(req.results);
      }
    }
    buf = buf.subarray(pos);
    this.chunks = buf.length > 0 ? [buf] : [];
    this.buffered = buf.length;
    if (this.need < 1) this.need = 1;
  }
}

/**
 * A mirror's long-lived object reader. `info` and `contents` for any number of objects cost one
 * round trip to one git process; the process is started on first use and replaced after a fetch.
 */
export class CatFileBatch {
  private current: BatchProcess | undefined;
  private readonly retired = new Set<BatchProcess>();

  constructor(private readonly options: CatFileBatchOptions) {}

  async info(names: readonly string[]): Promise<ObjectInfo[]> {
    const results = await this.process().request('info', names);
    return results.map((r) =>
      r.status === 'found' ? { name: r.name, status: r.status, oid: r.oid, type: r.type, size: r.size } : r,
    );
  }

  contents(names: readonly string[]): Promise<ObjectContent[]> {
    return this.process().request('contents', names);
  }

  /** Let the running process finish its queue and exit; the next request starts a fresh one. */
  renew(): void {
    const old = this.current;
    this.current = undefined;
    if (!old) return;
    this.retired.add(old);
    old.end();
    void old.exited.then(() => this.retired.delete(old));
  }

  async close(): Promise<void> {
    this.renew();
    const waiting = [...this.retired].map(async (p) => {
      const timer = setTimeout(
        () =>
          p.kill(new WheelhouseError('GIT_FAILED', `reading objects of ${this.options.repo} was stopped`)),
        5_000,
      );
      await p.exited;
      clearTimeout(timer);
    });
    await Promise.all(waiting);
  }

  private process(): BatchProcess {
    if (this.current === undefined || this.current.dead) this.current = new BatchProcess(this.options);
    return this.current;
  }
}
