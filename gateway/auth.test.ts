import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { Authenticator, identityFromToken } from './auth';
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
