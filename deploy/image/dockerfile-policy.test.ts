import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dockerfileProblems, stagesOf } from './dockerfile-policy';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const healthcheck = require('./healthcheck.js') as {
  runningService(procDir?: string): { keys: string[]; port: number } | undefined;
  portOf(service: { keys: string[]; port: number }, env?: NodeJS.ProcessEnv): number;
};

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const DOCKERFILE = read('Dockerfile');
const DOCKERIGNORE = read('.dockerignore');
const NPMRC = read('.npmrc');

/** The Dockerfile with one line replaced (the line must exist, so a test cannot pass by missing it). */
function withLine(from: string | RegExp, to: string): string {
  const changed = DOCKERFILE.replace(from, to);
  if (changed === DOCKERFILE) throw new Error(`the Dockerfile has no ${String(from)}`);
  return changed;
}

const problems = (dockerfile: string, dockerignore = DOCKERIGNORE, npmrc = NPMRC) => dockerfileProblems(dockerfile, dockerignore, npmrc);

describe('the Dockerfile', () => {
  it('keeps every rule', () => {
    expect(problems(DOCKERFILE)).toEqual([]);
  });

  it('builds in three stages and runs the gateway by default as uid 10001', () => {
    const stages = stagesOf(DOCKERFILE);
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    const final = stages.at(-1)!.instructions;
    expect(final.filter((i) => i.keyword === 'USER').map((i) => i.args)).toEqual(['10001:10001']);
    expect(final.find((i) => i.keyword === 'CMD')?.args).toBe('["gateway/index.js"]');
  });

  it('refuses a final stage that runs as root', () => {
    expect(problems(withLine('USER 10001:10001', 'USER root'))).toEqual([expect.stringMatching(/^line \d+ \(USER root\): the services would run as root$/)]);
    expect(problems(withLine('USER 10001:10001\n', ''))).toEqual(['the final stage sets no USER: the services would run as root']);
  });

  it('refuses a final stage without a HEALTHCHECK', () => {
    expect(problems(withLine(/^HEALTHCHECK .*$/m, 'HEALTHCHECK NONE'))).toEqual(['the final stage has no HEALTHCHECK']);
  });

  it('refuses dev dependencies in the final image', () => {
    expect(problems(withLine('COPY --from=deps /src/node_modules', 'COPY --from=build /src/node_modules'))).toEqual([
      expect.stringMatching(/node_modules must come from a stage that installs with npm ci --omit=dev$/),
    ]);
    expect(problems(withLine('RUN npm ci --omit=dev --no-audit', 'RUN npm ci --no-audit'))).toEqual([
      expect.stringMatching(/node_modules must come from a stage that installs with npm ci --omit=dev$/),
    ]);
  });

  it('refuses secrets in ENV or ARG and local state in COPY', () => {
    expect(problems(withLine('    TMPDIR=/tmp \\', '    TMPDIR=/tmp JWT_SECRET=abc \\'))).toEqual([expect.stringMatching(/a secret baked into the image \(JWT_SECRET\)$/)]);
    expect(problems(withLine('    TMPDIR=/tmp \\', '    TMPDIR=/tmp DATABASE_URL=postgres://hub:hunter2@db/hub \\'))).toEqual([
      expect.stringMatching(/a secret baked into the image \(DATABASE_URL\)$/),
    ]);
    expect(problems(withLine('ARG NODE_IMAGE=', 'ARG NPM_TOKEN\nARG NODE_IMAGE='))).toEqual([expect.stringMatching(/a secret baked into the image \(NPM_TOKEN\)$/)]);
    expect(problems(withLine('COPY package.json ./\n', 'COPY package.json ./\nCOPY .data .data\n'))).toEqual([expect.stringMatching(/copies local secrets or state into the image$/)]);
  });

  it('refuses the embedded Neo4j launcher and npm without the project .npmrc', () => {
    expect(problems(withLine('RUN npm run build', 'RUN apt-get install -y openjdk-17-jre-headless && npm run build'))).toEqual([expect.stringMatching(/installs Java or Maven/)]);
    expect(problems(withLine('COPY package.json package-lock.json .npmrc ./\nCOPY scripts/postinstall.js scripts/postinstall.js\nRUN npm ci --no-audit', 'COPY package.json package-lock.json ./\nCOPY scripts/postinstall.js scripts/postinstall.js\nRUN npm ci --no-audit'))).toEqual([
      expect.stringMatching(/npm runs without the project's .npmrc/),
    ]);
    expect(problems(DOCKERFILE, DOCKERIGNORE, 'fund=false\n')).toEqual(['.npmrc lacks onnxruntime-node-install=skip']);
  });

  it('refuses a shell-form command, a missing TMPDIR and a .dockerignore that lets local state in', () => {
    expect(problems(withLine('CMD ["gateway/index.js"]', 'CMD node gateway/index.js'))).toEqual([expect.stringMatching(/shell form; SIGTERM would reach a shell, not node$/)]);
    expect(problems(withLine('    TMPDIR=/tmp \\\n', ''))).toEqual(['the final stage sets no TMPDIR: a read-only root needs one writable path named']);
    expect(problems(DOCKERFILE, `${DOCKERIGNORE}\n!.data\n`)).toEqual(['.dockerignore lets .data into the build context']);
  });

  it('passes the Docker language service validation', () => {
    expect(problems(withLine('WORKDIR /app', 'WORKDIR app'))).toEqual([expect.stringMatching(/WORKDIR paths should be absolute/)]);
  });
});

describe('the image HEALTHCHECK script', () => {
  const fakeProc = (cmdlines: Record<string, string[]>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'healthcheck-proc-'));
    for (const [pid, args] of Object.entries(cmdlines)) {
      fs.mkdirSync(path.join(dir, pid));
      fs.writeFileSync(path.join(dir, pid, 'cmdline'), `${args.join('\0')}\0`);
    }
    fs.mkdirSync(path.join(dir, 'self'));
    return dir;
  };

  it('finds the service the container runs and its port from the same variables the service reads', () => {
    const proc = fakeProc({ '1': ['node', 'subgraphs/genomics/index.js'], '42': ['node', '/app/healthcheck.js'] });
    const service = healthcheck.runningService(proc)!;
    expect(healthcheck.portOf(service, {})).toBe(4002);
    expect(healthcheck.portOf(service, { GENOMICS_PORT: '8080' })).toBe(8080);
    const gateway = healthcheck.runningService(fakeProc({ '7': ['node', '--enable-source-maps', '/app/gateway/index.js'] }))!;
    expect(healthcheck.portOf(gateway, { PORT: '9000', GATEWAY_PORT: '9001' })).toBe(9000);
  });

  it('finds no service where none runs', () => {
    expect(healthcheck.runningService(fakeProc({ '1': ['sh'] }))).toBeUndefined();
  });
});
