/**
 * `npm run token -- --role clinician --org org-1 [--sub dr-1] [--client my-app] [--hours 8]`: a bearer
 * token signed with this checkout's JWT secret (JWT_SECRET, or the one `npm start` generated into
 * .data/auth/), for trying the hub locally. Production tokens come from the identity provider.
 * `--hours` is at most JWT_MAX_LIFETIME_HOURS (default 24): the gateway refuses longer-lived tokens.
 */
import { parseCommandLine, runTool, UsageError } from '../lib/cli';
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

const USAGE = `usage: npm run token -- [--role clinician|researcher|partner|admin] [--org ORGANISATION] [--sub SUBJECT]
                      [--client CLIENT] [--contracts MANIFEST[,MANIFEST...]] [--hours N]

  A bearer token signed with this checkout's JWT secret, printed on stdout, for trying the hub locally.
  --role       default clinician; a clinician needs --org (the organisation whose patients they see)
  --org        the "org" claim
  --sub        the subject (default: local-<role>)
  --client     the client application ("azp"; default local-cli)
  --contracts  a partner's persisted-document manifests
  --hours      lifetime, more than 0 and at most JWT_MAX_LIFETIME_HOURS (default 8; a negative value: --hours=-1)`;

async function main(argv: string[]): Promise<number> {
  // node's own message names the option (e.g. `--hours -1` needs `--hours=-1`).
  const { values } = parseCommandLine({ args: argv, options: OPTIONS });
  const role = values.role!;
  if (!(ROLES as readonly string[]).includes(role) || role === 'service') throw new UsageError(`--role ${role}: one of clinician, researcher, partner, admin`);
  if (role === 'clinician' && !values.org) throw new UsageError('--org is required for a clinician (the organisation whose patients they see)');
  const config = withLocalSecrets(loadConfig());
  const secret = config.auth.jwt.secret;
  if (!secret) throw new UsageError('JWT_JWKS_URL is set: tokens come from that identity provider, not from this script');
  const maxHours = config.auth.jwt.maxLifetimeHours;
  const refusal = tokenHoursRefusal(values.hours!, maxHours);
  if (refusal) throw new UsageError(refusal);
  const token = await mintLocalToken(
    secret,
    { role, org: values.org, sub: values.sub, client: values.client!, contracts: values.contracts?.split(','), hours: Number(values.hours) },
    maxHours,
  );
  console.log(token);
  return 0;
}

runTool({ name: 'token', usage: USAGE }, main);
