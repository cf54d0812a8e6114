import { describe, expect, it } from 'vitest';
import { parseTrustProxy, type TrustProxy } from '../../src/server/index.js';
import { apiServers } from '../support/api-server.js';
import { fakeWebBuild } from '../support/dashboard.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';
import { tempDirs } from '../support/tmp.js';

// Security review, issue 12 item 16: with --trust-proxy the server took the leftmost
// X-Forwarded-For entry, which the client writes itself: a new fake address per attempt got
// 40 of 40 sign-in attempts past the rate limit.

const start = apiServers();
const createStore = sqliteStores();
const tmp = tempDirs();

async function signInServer(trustProxy?: TrustProxy) {
  const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
  const { root } = await fakeWebBuild(await tmp('web'));
  return start(
    {
      engine,
      store: await createStore(),
      dashboard: { webRoot: root, signInRateLimit: { perMinute: 1, burst: 2 } },
    },
    trustProxy === undefined ? {} : { trustProxy },
  );
}

/** Sign-in attempts with a wrong token, each claiming another address left of what the proxies add. */
async function attempts(url: string, forwardedAfterSpoof: string, count: number) {
  const out: { status: number; message: string }[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': [`10.66.0.${i + 1}`, forwardedAfterSpoof].filter(Boolean).join(', '),
      },
      body: JSON.stringify({ token: 'not-a-token' }),
    });
    const body = (await response.json()) as { error: { message: string } };
    out.push({ status: response.status, message: body.error.message });
  }
  return out;
}

describe('--trust-proxy takes the address the trusted proxy saw', () => {
  it('with one trusted hop (the bare flag), limits by the rightmost X-Forwarded-For entry, not the spoofed leftmost', async () => {
    const server = await signInServer(true);
    const seen = await attempts(server.url, '203.0.113.7', 4);
    expect(seen.map((s) => s.status)).toEqual([401, 401, 429, 429]);
    expect(seen[2]?.message).toMatch(/too many sign-in attempts from 203\.0\.113\.7/);
  });

  it('with a list of proxies, takes the rightmost address that is not one of them', async () => {
    const server = await signInServer(['127.0.0.1', '198.51.100.0/24']);
    const seen = await attempts(server.url, '203.0.113.9, 198.51.100.5', 3);
    expect(seen.map((s) => s.status)).toEqual([401, 401, 429]);
    expect(seen[2]?.message).toMatch(/from 203\.0\.113\.9/);
  });

  it('with a hop count, trusts that many hops from the right', async () => {
    const server = await signInServer(2);
    const seen = await attempts(server.url, '203.0.113.9, 198.51.100.5', 3);
    expect(seen[2]?.message).toMatch(/from 203\.0\.113\.9/);
  });

  it('without it, ignores X-Forwarded-For and limits by the peer address', async () => {
    const server = await signInServer();
    const seen = await attempts(server.url, '203.0.113.7', 3);
    expect(seen[2]?.status).toBe(429);
    expect(seen[2]?.message).toMatch(/from 127\.0\.0\.1/);
  });

  it('parses the flag: bare is one hop, a number is a hop count, else a list of addresses and CIDRs', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy(true)).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.1, 192.168.0.0/16,::1,loopback')).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'loopback',
    ]);
    expect(() => parseTrustProxy('0')).toThrow(/hop count of at least 1/);
    expect(() => parseTrustProxy('proxy.example.com')).toThrow(
      /"proxy\.example\.com" is not an IP address, a CIDR range/,
    );
    expect(() => parseTrustProxy('10.0.0.0/40')).toThrow(/is not an IP address, a CIDR range/);
  });
});
