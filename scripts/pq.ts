/**
 * Trusted documents (persisted-operation manifests) in the gateway's database:
 *
 *   npm run pq -- publish <manifest.json> --client <name>
 *   npm run pq -- list
 *
 * The manifest is Apollo's persisted query manifest or GraphQL Code Generator's
 * persisted-documents.json (gateway/manifests.ts). Every id must be the SHA-256 of its document; one
 * bad entry refuses the whole manifest. Publishing again is harmless: documents already listed stay.
 * A partner runs the documents of the clients its API key's contracts name.
 */
import { parseCommandLine, runTool } from '../lib/cli';
import { loadConfig } from '../lib/config';
import { ensureDatabase, redact } from '../lib/postgres';
import { ManifestError } from '../gateway/manifests';
import { readManifestFile } from '../gateway/publish-manifest';
import { openGatewayDatabase } from '../gateway/trusted-access';

const USAGE = 'usage: npm run pq -- publish <manifest.json> --client <name> | list';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandLine({ args: argv, allowPositionals: true, options: { client: { type: 'string' } } });
  const [command, file, ...extra] = positionals;
  if (command === 'publish' && (!file || extra.length || !values.client?.trim())) {
    console.error(`publish needs one manifest file and --client <name>\n${USAGE}`);
    return 2;
  }
  if (command !== 'publish' && command !== 'list') {
    console.error(USAGE);
    return 2;
  }
  let manifest;
  if (command === 'publish') {
    try {
      manifest = readManifestFile(file!);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      console.error(error.message);
      return 1;
    }
  }
  const { databaseUrl } = loadConfig();
  await ensureDatabase(databaseUrl);
  const database = await openGatewayDatabase(databaseUrl);
  try {
    if (manifest) {
      const client = values.client!.trim();
      const result = await database.documents.publish(client, manifest);
      console.log(
        `${file}: ${result.format}, ${result.documents} document(s) for client ${client} in ${redact(databaseUrl)}: ` +
          (result.added ? `${result.added} added, ${result.documents - result.added} already published` : 'all already published, nothing changed'),
      );
    } else {
      for (const m of await database.documents.manifests()) console.log(`${m.manifest}\t${m.documents} document(s)\tlast published ${m.lastPublishedAt.toISOString()}`);
    }
    return 0;
  } finally {
    await database.pool.end();
  }
}

runTool({ name: 'pq', usage: USAGE }, main);
