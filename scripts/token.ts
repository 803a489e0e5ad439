/**
 * `npm run token -- --role clinician --org org-1 [--sub dr-1] [--client my-app] [--hours 8]`: a bearer
 * token signed with this checkout's JWT secret (JWT_SECRET, or the one `npm start` generated into
 * .data/auth/), for trying the hub locally. Production tokens come from the identity provider.
 * `--hours` is at most JWT_MAX_LIFETIME_HOURS (default 24): the gateway refuses longer-lived tokens.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { withLocalSecrets } from '../lib/local-secrets';
import { ROLES } from '../lib/identity';
import { mintLocalToken, tokenHoursRefusal } from './local-token';

const OPTIONS = {
  role: { type: 'string', default: 'clinician' },
  org: { type: 'string' },
  sub: { type: 'string' },
  client: { type: 'string', default: 'local-cli' },
  contracts: { type: 'string' },
  hours: { type: 'string', default: '8' },
} as const;

function parseOptions() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    // node's own message names the option (e.g. `--hours -1` needs `--hours=-1`); no stack trace.
    console.error((error as Error).message);
    return process.exit(2);
  }
}

const values = parseOptions();

const config = withLocalSecrets(loadConfig());
const secret = config.auth.jwt.secret;
if (!secret) {
  console.error('JWT_JWKS_URL is set: tokens come from that identity provider, not from this script');
  process.exit(2);
}
const role = values.role!;
if (!(ROLES as readonly string[]).includes(role) || role === 'service') {
  console.error(`--role ${role}: one of clinician, researcher, partner, admin`);
  process.exit(2);
}
if (role === 'clinician' && !values.org) {
  console.error('--org is required for a clinician (the organisation whose patients they see)');
  process.exit(2);
}
const maxHours = config.auth.jwt.maxLifetimeHours;
const refusal = tokenHoursRefusal(values.hours!, maxHours);
if (refusal) {
  console.error(refusal);
  process.exit(2);
}
void mintLocalToken(secret, {
  role,
  org: values.org,
  sub: values.sub,
  client: values.client!,
  contracts: values.contracts?.split(','),
  hours: Number(values.hours),
}, maxHours).then((token) => console.log(token));
