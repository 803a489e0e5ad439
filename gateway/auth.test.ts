import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { Authenticator, identityFromToken, VERIFIED_BEARER_MS } from './auth';
import { refusalOf } from '../tests/support/refusal';

const noApiKeys = async () => undefined;

describe('Authenticator with an identity provider’s JWKS (RS256)', () => {
  let server: http.Server;
  let jwksUrl: string;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const token = (key: CryptoKey, kid: string, claims: Record<string, unknown> = {}, issuer = 'https://idp.example.org') =>
    new SignJWT({ role: 'clinician', org: 'org-1', azp: 'ward-app', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('dr-ada')
      .setIssuer(issuer)
      .setAudience('precision-hub')
      .setExpirationTime('5m')
      .sign(key);

  const authenticator = () => new Authenticator({ jwksUrl, issuer: 'https://idp.example.org', audience: 'precision-hub' }, noApiKeys);

  it('accepts a token signed with a key of the JWKS and reads the hub claims', async () => {
    await expect(authenticator().authenticate({ authorization: `Bearer ${await token(signingKey, 'idp-key-1')}` })).resolves.toEqual({
      subject: 'dr-ada',
      role: 'clinician',
      client: 'ward-app',
      organisation: 'org-1',
    });
  });

  it('refuses a token signed with a key the JWKS does not hold', async () => {
    expect(await refusalOf(authenticator().authenticate({ authorization: `Bearer ${await token(otherKey, 'unknown-key')}` }))).toBe(
      'INVALID_TOKEN: bearer token was signed with a key the JWKS does not hold',
    );
  });

  it('refuses a token whose signature does not match the key its kid names', async () => {
    expect(await refusalOf(authenticator().authenticate({ authorization: `Bearer ${await token(otherKey, 'idp-key-1')}` }))).toBe(
      'INVALID_TOKEN: bearer token signature does not verify',
    );
  });

  it('refuses a token from another issuer', async () => {
    expect(await refusalOf(authenticator().authenticate({ authorization: `Bearer ${await token(signingKey, 'idp-key-1', {}, 'https://evil.example')}` }))).toBe(
      'INVALID_TOKEN: bearer token claim "iss" is not acceptable: unexpected "iss" claim value',
    );
  });

  it('refuses an HS256 token when the hub verifies against a JWKS (no algorithm confusion)', async () => {
    const hs256 = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-secret-the-attacker-chose-0123456789'));
    expect(await refusalOf(authenticator().authenticate({ authorization: `Bearer ${hs256}` }))).toBe('INVALID_TOKEN: bearer token uses an algorithm this hub does not accept');
  });
});

describe('Authenticator: a bearer token it has verified before (HS256)', () => {
  const secret = 'a-development-secret-of-32-characters!';
  const hs256 = (claims: Record<string, unknown>, expiresIn: string) =>
    new SignJWT({ role: 'clinician', org: 'org-1', azp: 'ward-app', ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('dr-ada')
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(new TextEncoder().encode(secret));
  const clinician = { subject: 'dr-ada', role: 'clinician', client: 'ward-app', organisation: 'org-1' };
  const at = (ms: number) => jest.useFakeTimers({ now: ms, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  afterEach(() => jest.useRealTimers());

  it('takes it by lookup for a minute, then checks it in full again, and refuses it once it expired', async () => {
    const authenticator = new Authenticator({ secret }, noApiKeys);
    const start = Date.now();
    const token = await hs256({}, '5m');
    const verify = () => authenticator.verify({ authorization: `Bearer ${token}` });
    const first = await verify();
    expect(first).toEqual({ identity: clinician, expiresAt: expect.any(Number) });
    const again = await verify();
    expect(again).toEqual(first);
    // A copy: a caller changing what it was given changes nothing kept.
    again.identity.role = 'admin';
    await expect(verify()).resolves.toEqual(first);
    expect(authenticator.bearerVerificationCounts()).toEqual({ hits: 2, misses: 1 });
    // A tampered copy of a kept token is another text: checked in full, and refused.
    const [header, payload, signature] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(await refusalOf(authenticator.verify({ authorization: `Bearer ${header}.${raised}.${signature}` }))).toBe('INVALID_TOKEN: bearer token signature does not verify');
    // After VERIFIED_BEARER_MS it is checked in full again (still valid: accepted, and kept anew).
    at(start + VERIFIED_BEARER_MS + 1_000);
    await expect(verify()).resolves.toEqual(first);
    await expect(verify()).resolves.toEqual(first);
    expect(authenticator.bearerVerificationCounts()).toEqual({ hits: 3, misses: 3 });
    // Past its `exp` it is refused, however recently it verified.
    at(first.expiresAt! + 1_000);
    expect(await refusalOf(verify())).toMatch(/^TOKEN_EXPIRED: bearer token expired at /);
  });

  it('keeps nothing it refused: a token refused is checked in full each time', async () => {
    const authenticator = new Authenticator({ secret, maxLifetimeHours: 1 }, noApiKeys);
    const tooLong = await hs256({}, '2h');
    for (let i = 0; i < 2; i++) {
      expect(await refusalOf(authenticator.verify({ authorization: `Bearer ${tooLong}` }))).toMatch(/^TOKEN_LIFETIME_EXCEEDED: bearer token lives 2 h/);
    }
    expect(authenticator.bearerVerificationCounts()).toEqual({ hits: 0, misses: 2 });
  });

  it('never keeps a token past its own expiry, even within the minute', async () => {
    const authenticator = new Authenticator({ secret }, noApiKeys);
    const start = Date.now();
    const token = await hs256({}, '20s');
    await expect(authenticator.verify({ authorization: `Bearer ${token}` })).resolves.toMatchObject({ identity: clinician });
    at(start + 21_000);
    expect(await refusalOf(authenticator.verify({ authorization: `Bearer ${token}` }))).toMatch(/^TOKEN_EXPIRED: bearer token expired at /);
  });
});

describe('identityFromToken', () => {
  it('maps the claims the hub reads', () => {
    expect(identityFromToken({ sub: 'p-1', role: 'partner', client_id: 'acme', contracts: ['acme-portal', 7] })).toEqual({
      subject: 'p-1',
      role: 'partner',
      client: 'acme',
      contracts: ['acme-portal'],
    });
  });

  it('refuses unknown roles and the internal service role', () => {
    expect(() => identityFromToken({ sub: 'x', role: 'superuser' })).toThrow('is not one of clinician, researcher, partner, admin');
    expect(() => identityFromToken({ sub: 'x', role: 'service' })).toThrow('"service" is not one of');
  });
});
