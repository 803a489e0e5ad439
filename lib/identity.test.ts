import { SignJWT } from 'jose';
import { IdentityAssertions, type Identity } from './identity';
import { refusalOf } from '../tests/support/refusal';

const SECRET = 'unit-test-internal-secret-0123456789abcdef';
const clinician: Identity = { subject: 'dr-ada', role: 'clinician', client: 'ward-app', organisation: 'org-north' };

describe('IdentityAssertions', () => {
  it('round-trips an identity through a signed assertion', async () => {
    const assertions = new IdentityAssertions(SECRET);
    await expect(assertions.verify(await assertions.sign(clinician))).resolves.toEqual(clinician);
  });

  it('refuses a missing assertion as UNAUTHENTICATED', async () => {
    expect(await refusalOf(new IdentityAssertions(SECRET).verify(undefined))).toMatch(/^UNAUTHENTICATED: no x-hub-identity assertion/);
  });

  it('refuses an assertion signed with another secret', async () => {
    const foreign = await new IdentityAssertions('another-hub-secret-0123456789abcdefghij').sign(clinician);
    expect(await refusalOf(new IdentityAssertions(SECRET).verify(foreign))).toBe('INVALID_TOKEN: x-hub-identity assertion signature does not verify');
  });

  it('refuses a tampered assertion (role raised to admin)', async () => {
    const token = await new IdentityAssertions(SECRET).sign(clinician);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const raised = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(await refusalOf(new IdentityAssertions(SECRET).verify(`${header}.${raised}.${signature}`))).toBe(
      'INVALID_TOKEN: x-hub-identity assertion signature does not verify',
    );
  });

  it('refuses an expired assertion and says when it expired', async () => {
    const expired = await new SignJWT({ ...clinician })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('precision-hub-gateway')
      .setAudience('precision-hub-subgraphs')
      .setExpirationTime(1_700_000_000)
      .sign(new TextEncoder().encode(SECRET));
    expect(await refusalOf(new IdentityAssertions(SECRET).verify(expired))).toBe('TOKEN_EXPIRED: x-hub-identity assertion expired at 2023-11-14T22:13:20.000Z');
  });

  it('verifies an assertion it has verified before by lookup, until it expires, and then refuses it as jose does', async () => {
    const assertions = new IdentityAssertions(SECRET);
    const signedAt = Date.now();
    const token = await assertions.sign(clinician);
    await expect(assertions.verify(token)).resolves.toEqual(clinician);
    const again = await assertions.verify(token);
    expect(again).toEqual(clinician);
    // A copy: a caller changing its identity changes nothing kept.
    again.role = 'admin';
    await expect(assertions.verify(token)).resolves.toEqual(clinician);
    expect(assertions.verificationCounts()).toEqual({ hits: 2, misses: 1 });
    // A tampered copy of a kept assertion is another text: checked in full, and refused.
    const [header, payload, signature] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(await refusalOf(assertions.verify(`${header}.${raised}.${signature}`))).toBe('INVALID_TOKEN: x-hub-identity assertion signature does not verify');
    // Past its expiry the kept assertion is refused, however recently it verified.
    jest.useFakeTimers({ now: signedAt + 301_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      expect(await refusalOf(assertions.verify(token))).toMatch(/^TOKEN_EXPIRED: x-hub-identity assertion expired at /);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses garbage as not a JWT', async () => {
    expect(await refusalOf(new IdentityAssertions(SECRET).verify('not-a-jwt'))).toBe('INVALID_TOKEN: x-hub-identity assertion is not a well-formed JWT');
  });

  it('refuses an assertion without a hub role', async () => {
    const token = await new SignJWT({ subject: 'x', role: 'superuser', client: 'c' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('precision-hub-gateway')
      .setAudience('precision-hub-subgraphs')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(SECRET));
    expect(await refusalOf(new IdentityAssertions(SECRET).verify(token))).toBe('INVALID_TOKEN: identity assertion lacks subject, role or client');
  });

  it('signs service identities with the service role', async () => {
    const assertions = new IdentityAssertions(SECRET);
    await expect(assertions.verify(await assertions.forService('inference')())).resolves.toEqual({
      subject: 'inference',
      role: 'service',
      client: 'precision-hub',
    });
  });

  it('refuses a short internal secret at start', () => {
    expect(() => new IdentityAssertions('short')).toThrow('at least 32 characters');
  });
});
