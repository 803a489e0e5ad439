import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The boundary lint (eslint.boundaries.mjs) run through the project's own eslint.config.mjs on source
 * texts placed at paths inside the repository (nothing is written: ESLint lints the text as if it sat
 * at that path, and the imports resolve against the real tree). A resolver or config change that made
 * the rule report nothing would pass `npm run lint` silently; these cases fail instead.
 *
 * ESLint runs in a child process: its flat config is an ES module that jest's module registry does not load.
 */
const ROOT = path.resolve(__dirname, '..');
const RULE = 'import-x/no-restricted-paths';

const LINT = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const { filePath, code } of JSON.parse(input)) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
  }
  process.stdout.write(JSON.stringify(out));
});`;

interface Finding {
  ruleId: string | null;
  message: string;
}

async function lintAll(cases: Array<{ filePath: string; code: string }>): Promise<Finding[][]> {
  const run = promisify(execFile)(process.execPath, ['-e', LINT], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  run.child.stdin!.end(JSON.stringify(cases.map((c) => ({ ...c, filePath: path.join(ROOT, c.filePath) }))));
  const { stdout } = await run;
  return JSON.parse(stdout) as Finding[][];
}

const boundaryFindings = (findings: Finding[]) => findings.filter((f) => f.ruleId === RULE).map((f) => f.message);

// Each imported file exists in the tree; only the importing file is virtual.
const CASES = [
  // A service importing another service's files.
  { name: 'inference imports genomics', filePath: 'subgraphs/inference/boundary-probe.ts', code: `import { VcfIngestor } from '../genomics/ingest/ingest-vcf';\nexport const x = VcfIngestor;\n`, rejected: /The inference service must not import another service's files/ },
  { name: 'genomics imports the knowledge-graph data layer', filePath: 'subgraphs/genomics/domain/boundary-probe.ts', code: `import type { Neo4jExecutor } from '../../../knowledge-graph/executor';\nexport type X = Neo4jExecutor;\n`, rejected: /The genomics service must not import another service's files/ },
  { name: 'the gateway imports a subgraph', filePath: 'gateway/boundary-probe.ts', code: `export { createPatientService } from '../subgraphs/patient/server';\n`, rejected: /The gateway service must not import/ },
  { name: 'the knowledge-graph data layer imports inference', filePath: 'knowledge-graph/seed/boundary-probe.ts', code: `export const load = () => import('../../subgraphs/inference/domain/prevent');\n`, rejected: /The knowledge-graph service must not import/ },
  // lib/ importing a service.
  { name: 'lib imports the gateway', filePath: 'lib/boundary-probe.ts', code: `import { createGateway } from '../gateway/server';\nexport const x = createGateway;\n`, rejected: /lib\/ is shared by every service and must not import one/ },
  // Runtime code importing tooling.
  { name: 'lib imports scripts', filePath: 'lib/contracts/boundary-probe.ts', code: `import { describeIngest } from '../../scripts/ingest';\nexport const x = describeIngest;\n`, rejected: /Runtime code must not import bench\/, scripts\// },
  { name: 'a service imports bench', filePath: 'subgraphs/patient/boundary-probe.ts', code: `import { STREAM } from '../../bench/fhir/generate-bundles';\nexport const x = STREAM;\n`, rejected: /Runtime code must not import bench\// },
  // What stays allowed.
  { name: 'a service imports its own files, lib and contracts', filePath: 'subgraphs/inference/boundary-probe.ts', code: `import { geneAt } from '../../lib/contracts/reference/gene-coordinates';\nimport { announce } from '../../lib/contracts/events';\nimport { prevent } from './domain/prevent';\nexport const x = [geneAt, announce, prevent];\n`, rejected: null },
  { name: 'the knowledge-graph subgraph imports its data layer', filePath: 'subgraphs/knowledge-graph/boundary-probe.ts', code: `import type { Neo4jExecutor } from '../../knowledge-graph/executor';\nexport type X = Neo4jExecutor;\n`, rejected: null },
  { name: 'a test beside a service imports another service', filePath: 'subgraphs/inference/boundary-probe.test.ts', code: `import { VcfIngestor } from '../genomics/ingest/ingest-vcf';\nexport const x = VcfIngestor;\n`, rejected: null },
  { name: 'tests/ import anything', filePath: 'tests/boundary-probe.ts', code: `import { createGateway } from '../gateway/server';\nimport { STREAM } from '../bench/fhir/generate-bundles';\nexport const x = [createGateway, STREAM];\n`, rejected: null },
] as const;

describe('import boundaries (eslint.boundaries.mjs through eslint.config.mjs)', () => {
  let results: Finding[][];
  beforeAll(async () => {
    results = await lintAll(CASES.map(({ filePath, code }) => ({ filePath, code })));
  }, 120_000);

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const { rejected } = CASES[i]!;
    const findings = boundaryFindings(results[i]!);
    if (rejected === null) {
      expect(findings).toEqual([]);
    } else {
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatch(rejected);
    }
  });
});
