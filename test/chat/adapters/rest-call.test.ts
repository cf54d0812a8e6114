import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { restCall } from '../../../src/chat/adapters/rest-call.js';

/** A loopback server answering each request with the next of `answers` (the last one repeats). */
async function serve(answers: { status: number; body?: string; headers?: Record<string, string> }[]) {
  const seen: { method: string; body: string; contentType: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', body, contentType: req.headers['content-type'] });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)] ?? { status: 500 };
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, seen };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const base = {
  method: 'POST' as const,
  headers: { authorization: 'Bot t' },
  retryAfterSeconds: (_r: Response, json: unknown) => (json as { retry_after?: number }).retry_after,
  unreachable: (err: unknown) => new Error(`unreachable: ${String(err)}`),
};

describe('restCall: one JSON call to a chat platform', () => {
  it('sends JSON and returns the parsed answer', async () => {
    const { url, seen } = await serve([{ status: 200, body: '{"id":"1"}' }]);
    const answer = await restCall({ ...base, url, body: { text: 'hi' } });
    expect(answer).toMatchObject({ ok: true, status: 200, json: { id: '1' } });
    expect(seen).toEqual([{ method: 'POST', body: '{"text":"hi"}', contentType: 'application/json' }]);
  });

  it('waits out a rate limit as the platform says, then succeeds', async () => {
    const { url, seen } = await serve([
      { status: 429, body: '{"retry_after":0.05}' },
      { status: 200, body: '{"id":"2"}' },
    ]);
    const answer = await restCall({ ...base, url });
    expect(answer.json).toEqual({ id: '2' });
    expect(seen).toHaveLength(2);
  });

  it('tries a failing server three times, then hands back its answer', async () => {
    const { url, seen } = await serve([{ status: 503, body: '{"message":"down"}' }]);
    const answer = await restCall({ ...base, url });
    expect(answer).toMatchObject({ ok: false, status: 503, json: { message: 'down' } });
    expect(seen).toHaveLength(3);
  });

  it('does not repeat a request the platform refused', async () => {
    const { url, seen } = await serve([{ status: 403, body: 'not json' }]);
    const answer = await restCall({ ...base, url });
    expect(answer).toMatchObject({ ok: false, status: 403, json: undefined });
    expect(seen).toHaveLength(1);
  });

  it('throws the platform’s own error when nothing answers', async () => {
    const { url } = await serve([{ status: 200 }]);
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    await expect(restCall({ ...base, url })).rejects.toThrow(/^unreachable: /);
  });
});
