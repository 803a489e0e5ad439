/**
 * `npm run token -- --role clinician --org org-1 [--sub dr-1] [--client my-app] [--hours 8]`: a bearer
 * token signed with this checkout's JWT secret (JWT_SECRET, or the one `npm start` generated into
 * .data/auth/), for trying the hub locally. Production tokens come from the identity provider.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { withLocalSecrets } from '../lib/local-secrets';
import { ROLES } from '../lib/identity';
import { mintLocalToken } from './local-token';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'clinician' },
    org: { type: 'string' },
    sub: { type: 'string' },
    client: { type: 'string', default: 'local-cli' },
    contracts: { type: 'string' },
    hours: { type: 'string', default: '8' },
  },
});

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
void mintLocalToken(secret, {
  role,
  org: values.org,
  sub: values.sub,
  client: values.client!,
  contracts: values.contracts?.split(','),
  hours: Number(values.hours),
}).then((token) => console.log(token));
