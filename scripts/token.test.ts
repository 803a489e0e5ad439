import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { REPO_ROOT } from '../lib/config';
import { mintLocalToken } from './local-token';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const SECRET = 'token-cli-test-secret-0123456789abcdefgh';

/** `npm run token -- …` as a developer runs it, with this test's secret. */
const token = (args: string[], env: Record<string, string> = {}) =>
  run(TSX, [path.join(REPO_ROOT, 'scripts', 'token.ts'), ...args], { env: { ...process.env, JWT_SECRET: SECRET, JWT_MAX_LIFETIME_HOURS: '', ...env } });

describe('npm run token', () => {
  it.each(['1e9', '25', '0', '-1', 'abc', 'Infinity', 'NaN', ''])('refuses --hours %p with exit code 2 and prints no token', async (hours) => {
    const failure = await token(['--role', 'admin', `--hours=${hours}`]).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure && { code: failure.code, stdout: failure.stdout, stderr: failure.stderr }).toEqual({
      code: 2,
      stdout: '',
      // The reason, then the usage (lib/cli.ts).
      stderr: expect.stringMatching(new RegExp(`^token: --hours ${hours}: a number of hours greater than 0 and at most 24 \\(JWT_MAX_LIFETIME_HOURS\\)\n\nusage: npm run token`)),
    });
  });

  it('refuses an option it cannot parse with exit code 2 and node’s reason, without a stack trace', async () => {
    const failure = await token(['--role', 'admin', '--hours', '-1']).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure && { code: failure.code, stdout: failure.stdout, stderr: failure.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^token: Option '--hours' argument is ambiguous\.\nDid you forget to specify the option argument for '--hours'\?\nTo specify an option argument starting with a dash use '--hours=-XYZ'\.\n\nusage: npm run token/),
    });
  });

  it('mints a token living the hours asked for, up to JWT_MAX_LIFETIME_HOURS', async () => {
    const { stdout } = await token(['--role', 'admin', '--hours', '36'], { JWT_MAX_LIFETIME_HOURS: '48' });
    const claims = decodeJwt(stdout.trim());
    expect({ role: claims.role, lifetime: claims.exp! - claims.iat! }).toEqual({ role: 'admin', lifetime: 36 * 3600 });
  });

  it('is refused by the library too, for callers other than the CLI', async () => {
    await expect(mintLocalToken(SECRET, { role: 'admin', client: 'x', hours: 1e9 }, 24)).rejects.toThrow('--hours 1000000000: a number of hours greater than 0 and at most 24 (JWT_MAX_LIFETIME_HOURS)');
    const claims = decodeJwt(await mintLocalToken(SECRET, { role: 'admin', client: 'x', hours: 0.5 }, 24));
    expect(claims.exp! - claims.iat!).toBe(1800);
  });
});
