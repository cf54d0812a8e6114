import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface GitHttpServerOptions {
  /** Directory holding bare repositories; `<root>/team/web.git` is served at `/team/web.git`. */
  root: string;
  /** Require HTTP basic auth with these credentials (401 otherwise). */
  auth?: { username: string; password: string };
  /** Accept pushes (`git-receive-pack`); default true. */
  push?: boolean;
}

export interface GitRequestRecord {
  method: string;
  /** Path and query as requested. */
  url: string;
  status: number | 'hung';
  /** The user that authenticated, if any. */
  user?: string;
  /** Whether the request carried an Authorization header (never its value). */
  authorization: boolean;
  /** The `X-Test-Client` header, which a test sets per client (git's `http.extraHeader`) to tell them apart. */
  client?: string;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** URL of a repository under the root: `repoUrl('team/web.git')`. */
  repoUrl(name: string): string;
  /** Every request seen, in order. */
  readonly requests: GitRequestRecord[];
  /** While on, requests are accepted and never answered (to test client timeouts). */
  hang(on: boolean): void;
  /** Stops the server, ending hung requests and running backends. */
  close(): Promise<void>;
}

/**
 * A smart-HTTP git server for tests: Node's HTTP server on 127.0.0.1:0 running `git http-backend`
 * (CGI) per request, with optional basic auth, push support and a hang mode.
 */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: GitRequestRecord[] = [];
  const sockets = new Set<Socket>();
  const backends = new Set<number>();
  let hanging = false;

  const server = createServer((req, res) => {
    const record: GitRequestRecord = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      status: 200,
      authorization: req.headers.authorization !== undefined,
    };
    const client = req.headers['x-test-client'];
    if (typeof client === 'string') record.client = client;
    requests.push(record);
    if (hanging) {
      record.status = 'hung';
      return;
    }
    let user: string | undefined;
    if (options.auth) {
      user = checkBasicAuth(req, options.auth);
      if (user === undefined) {
        record.status = 401;
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
        res.end('authentication required\n');
        return;
      }
      record.user = user;
    }
    serveBackend(req, res, options, user, record, backends);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    repoUrl: (name) => `${url}/${name.replace(/^\/+/, '')}`,
    requests,
    hang(on) {
      hanging = on;
    },
    async close() {
      for (const pid of backends) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already exited.
        }
      }
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function checkBasicAuth(
  req: IncomingMessage,
  auth: { username: string; password: string },
): string | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return colon > 0 && username === auth.username && password === auth.password ? username : undefined;
}

function serveBackend(
  req: IncomingMessage,
  res: ServerResponse,
  options: GitHttpServerOptions,
  user: string | undefined,
  record: GitRequestRecord,
  backends: Set<number>,
): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let body: Buffer = Buffer.concat(chunks);
    if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) {
      try {
        body = gunzipSync(body);
      } catch {
        record.status = 400;
        res.writeHead(400).end('bad gzip body\n');
        return;
      }
    }
    const parsed = new URL(req.url ?? '/', 'http://localhost');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: options.root,
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(parsed.pathname),
      QUERY_STRING: parsed.search.replace(/^\?/, ''),
      CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
      CONTENT_LENGTH: String(body.length),
      REMOTE_ADDR: '127.0.0.1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: options.push === false ? 'false' : 'true',
    };
    if (user !== undefined) env.REMOTE_USER = user;
    const protocol = req.headers['git-protocol'];
    if (typeof protocol === 'string') env.HTTP_GIT_PROTOCOL = protocol;

    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    if (child.pid !== undefined) backends.add(child.pid);
    child.on('close', () => {
      if (child.pid !== undefined) backends.delete(child.pid);
    });
    child.stdin.on('error', () => {
      // The backend may exit before reading everything (e.g. a refused push).
    });
    child.stdin.end(body);
    child.stderr.resume();

    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
      if (end < 0) return;
      const sep = end === crlf ? 4 : 2;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      record.status = status;
      res.writeHead(status, headers);
      headersSent = true;
      res.write(head.subarray(end + sep));
    });
    child.stdout.on('end', () => {
      if (!headersSent) {
        record.status = 502;
        res.writeHead(502).end('git http-backend sent no headers\n');
        return;
      }
      res.end();
    });
  });
}
