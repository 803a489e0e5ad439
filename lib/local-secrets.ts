import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type HubConfig } from './config';
import { IdentityAssertions } from './identity';

/** Where `npm start` keeps the secrets it generated for this machine (never committed: .data/ is ignored). */
export const LOCAL_SECRETS_DIR = path.join(REPO_ROOT, '.data', 'auth');

function readOrCreate(name: string): string {
  const file = path.join(LOCAL_SECRETS_DIR, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(LOCAL_SECRETS_DIR, { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(32).toString('base64url');
  // `wx`: two services starting at once must not overwrite each other's secret.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw error;
  }
}

/**
 * The embedded defaults for authentication on one machine: where HUB_INTERNAL_SECRET (and, when no
 * JWKS is configured, JWT_SECRET) are not set, random secrets generated once into .data/auth/ and
 * shared by every service and script started from this checkout. Production sets both variables
 * (or JWT_JWKS_URL) instead, and then nothing is read or written here.
 */
export type SecuredConfig = HubConfig & { auth: { internalSecret: string } };

export function withLocalSecrets(config: HubConfig): SecuredConfig {
  const { auth } = config;
  const needsJwt = !auth.jwt.secret && !auth.jwt.jwksUrl;
  if (auth.internalSecret && !needsJwt) return config as SecuredConfig;
  return {
    ...config,
    auth: {
      internalSecret: auth.internalSecret ?? readOrCreate('internal-secret'),
      jwt: needsJwt ? { ...auth.jwt, secret: readOrCreate('jwt-secret') } : auth.jwt,
    },
  };
}

/** The identity assertions of this configuration's services (its internal secret). */
export function assertionsOf(config: SecuredConfig): IdentityAssertions {
  return new IdentityAssertions(config.auth.internalSecret);
}
