import type Docker from 'dockerode';
import type { LogLine } from '../../core/index.js';

/**
 * Splits the engine's multiplexed log stream (8-byte frame headers: stream, 0, 0, 0, size) into
 * lines, across chunk boundaries. Lines carry the engine's timestamp prefix when asked for.
 */
export class LogDemuxer {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(
    private readonly source: string,
    private readonly emit: (line: LogLine) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 8) {
      const kind = this.buffer[0];
      const size = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + size) break;
      const payload = this.buffer.subarray(8, 8 + size).toString('utf8');
      this.buffer = this.buffer.subarray(8 + size);
      this.text(kind === 2 ? 'stderr' : 'stdout', payload);
    }
  }

  /** Emit what is left without a trailing newline. */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.line(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  private text(stream: 'stdout' | 'stderr', payload: string): void {
    const parts = (this.partial[stream] + payload).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const part of parts) this.line(stream, part);
  }

  private line(stream: 'stdout' | 'stderr', raw: string): void {
    const text = raw.replace(/\r$/, '');
    const match = /^(\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d)) (.*)$/s.exec(text);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      this.emit({ at: new Date(match[1]).toISOString(), stream, source: this.source, text: match[2] });
    } else {
      this.emit({ stream, source: this.source, text });
    }
  }
}

export interface LogSource {
  id: string;
  name: string;
}

/** The last `tail` lines of one container (both streams, in order). */
export async function readLogs(docker: Docker, source: LogSource, tail: number): Promise<LogLine[]> {
  const buffer = await docker
    .getContainer(source.id)
    .logs({ stdout: true, stderr: true, timestamps: true, tail, follow: false });
  const lines: LogLine[] = [];
  const demux = new LogDemuxer(source.name, (line) => lines.push(line));
  demux.push(Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer)));
  demux.flush();
  return lines;
}

/** Lines of several containers merged by time (stable for equal or missing times). */
export function mergeByTime(groups: readonly LogLine[][]): LogLine[] {
  const all = groups.flatMap((lines, group) => lines.map((line, index) => ({ line, group, index })));
  all.sort((a, b) => {
    const ta = a.line.at ?? '';
    const tb = b.line.at ?? '';
    if (ta && tb && ta !== tb) return ta < tb ? -1 : 1;
    return a.group - b.group || a.index - b.index;
  });
  return all.map((entry) => entry.line);
}

/**
 * Follow several containers' logs until the signal aborts; yields lines as they arrive. The last
 * `tail` lines of each come first.
 */
export async function* followLogs(
  docker: Docker,
  sources: readonly LogSource[],
  tail: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<LogLine> {
  const queue: LogLine[] = [];
  let wake: (() => void) | undefined;
  let open = 0;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const streams: NodeJS.ReadableStream[] = [];
  for (const source of sources) {
    const stream = await docker
      .getContainer(source.id)
      .logs({ stdout: true, stderr: true, timestamps: true, tail, follow: true });
    streams.push(stream);
    open += 1;
    const demux = new LogDemuxer(source.name, (line) => {
      queue.push(line);
      notify();
    });
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    const done = () => {
      demux.flush();
      open -= 1;
      notify();
    };
    stream.once('end', done);
    stream.once('error', done);
  }
  const onAbort = () => notify();
  signal?.addEventListener('abort', onAbort);
  try {
    while (!signal?.aborted) {
      const line = queue.shift();
      if (line) {
        yield line;
        continue;
      }
      if (open === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const stream of streams) {
      stream.removeAllListeners('data');
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    }
  }
}
