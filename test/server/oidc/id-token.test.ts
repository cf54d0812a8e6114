import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createIssuerCache, verifyIdToken } from '../../../src/server/oidc/index.js';
import { oidcProviders } from '../../support/oidc/provider.js';
import { runSignIn } from '../../support/oidc/sign-in.js';
import { ACCOUNTS, CLIENT_ID, ssoServers } from '../../support/oidc/wheelhouse.js';

const settings = { clientId: CLIENT_ID, personClaim: 'email', groupsClaim: 'groups' };
const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'alice',
  aud: CLIENT_ID,
  nonce: 'the-nonce',
  email: 'alice@example.com',
  groups: ['platform-team'],
  ...overrides,
});

describe('ID tokens are verified against the issuer’s discovery document and keys', () => {
  const providers = oidcProviders();
  const servers = ssoServers();

  async function issuerOf() {
    const provider = await providers(ACCOUNTS);
    const issuer = await createIssuerCache({ jwksCooldownMs: 0 }).get(provider.issuer);
    return { provider, issuer };
  }

  it('accepts a token the issuer signed for this client with this nonce', async () => {
    const { provider, issuer } = await issuerOf();
    const person = await verifyIdToken(await provider.sign(claims()), issuer, settings, 'the-nonce');
    expect(person).toEqual({ person: 'alice@example.com', groups: ['platform-team'], subject: 'alice' });
  });

  it('refuses a forged, an expired, a misaddressed and a replayed (other nonce) token, saying which', async () => {
    const { provider, issuer } = await issuerOf();
    const refusal = (token: string, nonce = 'the-nonce') =>
      verifyIdToken(token, issuer, settings, nonce).then(
        () => 'accepted',
        (err: Error) => err.message,
      );

    // Forged: signed by a key of the forger's, under the provider's key id.
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: provider.signingKid() })
      .setIssuer(provider.issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await refusal(forged)).toContain('signature that does not verify');

    // Forged under a key id the issuer never published.
    const unknownKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: 'not-published' })
      .setIssuer(provider.issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await refusal(unknownKid)).toContain("key the issuer's key set does not hold");

    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    expect(
      await refusal(await provider.sign(claims(), { issuedAt: hourAgo - 60, expiresAt: hourAgo })),
    ).toContain('has expired');
    expect(await refusal(await provider.sign(claims({ aud: 'another-client' })))).toContain(
      'meant for another client',
    );
    expect(await refusal(await provider.sign(claims()), 'another-nonce')).toContain('another nonce');
    expect(await refusal(await provider.sign(claims({ email: undefined })))).toContain('has no email claim');
    expect(await refusal(await provider.sign(claims({ email_verified: false })))).toContain('not verified');
    expect(await refusal(await provider.sign(claims({ aud: [CLIENT_ID, 'other'], azp: 'other' })))).toContain(
      'several audiences',
    );

    // A symmetric (HS256) token keyed with anything is never accepted, whatever its claims.
    const hs = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(provider.issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await refusal(hs)).toMatch(/sign-in refused/);
  });

  it('picks up a rotated signing key without a restart', async () => {
    const { provider, issuer } = await issuerOf();
    await verifyIdToken(await provider.sign(claims()), issuer, settings, 'the-nonce');
    const before = provider.jwksFetches();
    const kid = await provider.rotateKeys();
    const token = await provider.sign(claims());
    expect(JSON.parse(Buffer.from(String(token.split('.')[0]), 'base64url').toString()).kid).toBe(kid);
    await expect(verifyIdToken(token, issuer, settings, 'the-nonce')).resolves.toMatchObject({
      person: 'alice@example.com',
    });
    expect(provider.jwksFetches()).toBeGreaterThan(before);
  });

  it('signs in through the whole flow after the provider rotated its keys', async () => {
    const provider = await providers(ACCOUNTS);
    const { server } = await servers(provider);
    expect((await runSignIn(`${server.url}/auth/oidc/login`, 'alice')).finalUrl).toBe(`${server.url}/`);
    await provider.rotateKeys();
    const again = await runSignIn(`${server.url}/auth/oidc/login`, 'carol');
    expect(again.finalUrl).toBe(`${server.url}/`);
    const cookie = again.cookieFor(new URL(server.url).host);
    const session = (await (await fetch(`${server.url}/api/v1/session`, { headers: { cookie } })).json()) as {
      actor: string;
    };
    expect(session.actor).toBe('oidc:carol@example.com');
  });
});
