/**
 * The log pump: a tiny program the process driver starts detached beside each replica (see
 * log-pump.ts). It reads the replica's stdout on fd 0 and its stderr on fd 3 and appends each line,
 * prefixed with the time it arrived (`2026-12-04T16:08:08.123Z <text>`), to that stream's file,
 * rotating by rename before a line would take the file past `maxBytes`. As the only writer it
 * holds the bound exactly, and it keeps going while Wheelhouse stops or restarts; it ends when
 * every process holding the other ends of its pipes has exited. When both streams name one file
 * (a Job's job.log) they share it, and its size, so the bound holds for the file as a whole. Only
 * `node:` imports: it runs on its own.
 */
import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';

interface PumpConfig {
  stdout: string;
  stderr: string;
  maxBytes: number;
  maxFiles: number;
}

/** An unfinished line is written after this much quiet (a prompt, a progress bar). */
const IDLE_MS = 200;
/** `<24-char ISO time> <text>\n` */
const STAMP_BYTES = 26;

const config = JSON.parse(process.argv[2] ?? '{}') as PumpConfig;
const maxLine = Math.max(16, Math.min(16 * 1024, config.maxBytes - STAMP_BYTES));

interface LogFile {
  fd: number;
  size: number;
  /** Streams still writing into it; the last to close closes the file. */
  writers: number;
}

const files = new Map<string, LogFile>();

function openShared(path: string): LogFile {
  let file = files.get(path);
  if (!file) {
    const fd = openSync(path, 'a');
    file = { fd, size: fstatSync(fd).size, writers: 0 };
    files.set(path, file);
  }
  file.writers++;
  return file;
}

function pump(fd: number, path: string): void {
  const file = openShared(path);
  let partial = Buffer.alloc(0);
  let idle: NodeJS.Timeout | undefined;

  const write = (line: Buffer): void => {
    const record = Buffer.concat([Buffer.from(`${new Date().toISOString()} `), line, NEWLINE]);
    if (file.size > 0 && file.size + record.length > config.maxBytes) rotate(file, path);
    try {
      writeSync(file.fd, record);
      file.size += record.length;
    } catch {
      // A full disk drops lines rather than blocking the workload on its pipe.
    }
  };
  const flushPartial = (): void => {
    idle = undefined;
    if (partial.length > 0) write(partial);
    partial = Buffer.alloc(0);
  };

  const socket = new Socket({ fd, readable: true, writable: false });
  socket.on('data', (chunk: Buffer) => {
    if (idle) clearTimeout(idle);
    let rest = partial.length > 0 ? Buffer.concat([partial, chunk]) : chunk;
    for (let at = rest.indexOf(10); at !== -1; at = rest.indexOf(10)) {
      for (const piece of pieces(rest.subarray(0, at))) write(piece);
      rest = rest.subarray(at + 1);
    }
    while (rest.length > maxLine) {
      const cut = charBoundary(rest, maxLine);
      write(rest.subarray(0, cut));
      rest = rest.subarray(cut);
    }
    partial = Buffer.from(rest);
    if (partial.length > 0) idle = setTimeout(flushPartial, IDLE_MS);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    if (idle) clearTimeout(idle);
    flushPartial();
    if (--file.writers === 0) closeSync(file.fd);
  });
}

const NEWLINE = Buffer.from('\n');

/** A line longer than `maxLine` becomes several, cut between characters. */
function pieces(line: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let rest = line;
  while (rest.length > maxLine) {
    const cut = charBoundary(rest, maxLine);
    out.push(rest.subarray(0, cut));
    rest = rest.subarray(cut);
  }
  out.push(rest);
  return out;
}

/** The largest cut at or below `max` that does not split a UTF-8 character. */
function charBoundary(bytes: Buffer, max: number): number {
  let cut = max;
  while (cut > max - 4 && cut > 1 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return cut;
}

/** Shift `.1`…`.N` up, the live file becomes `.1`, and a new live file starts. */
function rotate(file: { fd: number; size: number }, path: string): void {
  try {
    closeSync(file.fd);
    if (config.maxFiles > 0) {
      rmSync(`${path}.${config.maxFiles}`, { force: true });
      for (let i = config.maxFiles - 1; i >= 1; i--) renameIfThere(`${path}.${i}`, `${path}.${i + 1}`);
      renameIfThere(path, `${path}.1`);
      rmSync(`${path}.1.offset`, { force: true }); // `.1` is a whole file now (see log-follow.ts)
    } else {
      rmSync(path, { force: true });
    }
  } catch {
    // Retried before the next line (the live file is still too large to take it).
  }
  file.fd = openSync(path, 'a');
  file.size = fstatSync(file.fd).size;
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

pump(0, config.stdout);
pump(3, config.stderr);
