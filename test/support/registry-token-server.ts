import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';

/**
 * A registry front that demands Docker-token-spec Bearer auth, built to the spec
 * (https://distribution.github.io/distribution/spec/auth/token/): a request without a valid token
 * gets 401 with `WWW-Authenticate: Bearer realm=".../token",service="...",scope="repository:NAME:pull"`;
 * `GET /token?service=&scope=` with the right Basic credentials returns `{"token": ...}`; requests
 * with that token are passed to the real registry behind it. Tag lists asked for with `?n=` are
 * paged as the distribution spec says (`last=`, `Link: <...?n=&last=>; rel="next"`), which the
 * Debian registry (distribution 2.8) does not do itself.
 */
export interface TokenFront {
  url: string;
  /** Token requests seen (service and scope as asked). */
  tokenRequests: { service: string | null; scope: string | null; user: string | undefined }[];
  stop(): Promise<void>;
}

export async function startTokenFront(upstream: string, user: string, password: string): Promise<TokenFront> {
  const issued = new Set<string>();
  const tokenRequests: TokenFront['tokenRequests'] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/token') {
      const auth = req.headers.authorization ?? '';
      const [givenUser, givenPassword] = Buffer.from(auth.replace(/^Basic /, ''), 'base64')
        .toString()
        .split(':');
      tokenRequests.push({
        service: url.searchParams.get('service'),
        scope: url.searchParams.get('scope'),
        user: givenUser,
      });
      if (givenUser !== user || givenPassword !== password) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      const token = randomBytes(16).toString('hex');
      issued.add(token);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!issued.has(bearer)) {
      const name = /^\/v2\/(.+)\/(tags|manifests)\//.exec(url.pathname)?.[1] ?? '';
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${base}/token",service="test-registry",scope="repository:${name}:pull"`,
          'content-type': 'application/json',
        })
        .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const n = Number(url.searchParams.get('n') ?? '0');
    if (/\/tags\/list$/.test(url.pathname) && n > 0) {
      void page(upstream, url, n).then(({ body, link }) =>
        res.writeHead(200, { 'content-type': 'application/json', ...(link ? { link } : {}) }).end(body),
      );
      return;
    }
    const forward = httpRequest(
      `${upstream}${url.pathname}${url.search}`,
      { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: base,
    tokenRequests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One page of a tag list, sorted, after `last`, with a next link when more remain. */
async function page(upstream: string, url: URL, n: number): Promise<{ body: string; link?: string }> {
  const response = await fetch(`${upstream}${url.pathname}`);
  const { name, tags } = (await response.json()) as { name: string; tags: string[] };
  const last = url.searchParams.get('last');
  const rest = [...tags].sort().filter((t) => last === null || t > last);
  const slice = rest.slice(0, n);
  const more = rest.length > n;
  const body = JSON.stringify({ name, tags: slice });
  return more
    ? { body, link: `<${url.pathname}?n=${n}&last=${encodeURIComponent(slice.at(-1) ?? '')}>; rel="next"` }
    : { body };
}
