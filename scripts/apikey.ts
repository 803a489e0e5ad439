/**
 * Partner API keys in the gateway's database (DATABASE_URL, schema `gateway`):
 *
 *   npm run apikey -- create --client acme --contracts acme-portal[,other-manifest]
 *   npm run apikey -- revoke <id>
 *   npm run apikey -- list
 *
 * `create` prints the key once; only its SHA-256 is stored. A revoked key stops working at every
 * gateway within the lookup cache (30 s).
 */
import { parseCommandLine, runTool } from '../lib/cli';
import { loadConfig } from '../lib/config';
import { ensureDatabase, redact } from '../lib/postgres';
import { openGatewayDatabase } from '../gateway/trusted-access';
import type { ApiKeyRecord } from '../gateway/api-keys';

const USAGE = 'usage: npm run apikey -- create --client <name> --contracts <manifest>[,<manifest>...] | revoke <id> | list';

const describe = (r: ApiKeyRecord) =>
  `${r.id}\t${r.client}\t${r.role}\t${r.contracts.join(',') || '-'}\tcreated ${r.createdAt.toISOString()}${r.revokedAt ? `\trevoked ${r.revokedAt.toISOString()}` : ''}`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: { client: { type: 'string' }, contracts: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  if (!command || !['create', 'revoke', 'list'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'create' && !values.client?.trim()) {
    console.error(`create needs --client <name>\n${USAGE}`);
    return 2;
  }
  if (command === 'revoke' && rest.length !== 1) {
    console.error(`revoke needs one key id (see \`npm run apikey -- list\`)\n${USAGE}`);
    return 2;
  }
  const { databaseUrl } = loadConfig();
  await ensureDatabase(databaseUrl);
  const database = await openGatewayDatabase(databaseUrl);
  try {
    if (command === 'create') {
      const contracts = (values.contracts ?? '').split(',').map((c) => c.trim()).filter(Boolean);
      const { key, record } = await database.apiKeys.create({ client: values.client!.trim(), contracts });
      console.error(`API key ${record.id} for client ${record.client} (partner; contracts: ${contracts.join(', ') || 'none'}) in ${redact(databaseUrl)}.`);
      console.error('It is shown this once; only its SHA-256 is stored. Send it as the x-api-key header.');
      console.log(key);
    } else if (command === 'revoke') {
      const record = await database.apiKeys.revoke(rest[0]!);
      if (!record) {
        console.error(`no API key with id ${rest[0]}`);
        return 1;
      }
      console.log(describe(record));
      console.error('revoked: gateways refuse it within 30 s (their lookup cache)');
    } else {
      for (const record of await database.apiKeys.list()) console.log(describe(record));
    }
    return 0;
  } finally {
    await database.pool.end();
  }
}

runTool({ name: 'apikey', usage: USAGE }, main);
