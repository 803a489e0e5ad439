/**
 * The rules the image's Dockerfile keeps, checked on its text (CI builds no image: no registry or
 * container daemon there), so a change that breaks one fails a test: multi-stage; production
 * dependencies only in the final stage; a non-root user; a HEALTHCHECK; no secret baked in; the
 * embedded Neo4j launcher left out; onnxruntime's CUDA download skipped; signals reach node (exec
 * form); a writable TMPDIR for a read-only root; a .dockerignore that keeps local state out; and
 * dockerfile-utils' own validation (the Docker language service's linter; hadolint is not to be
 * had from Debian or npm here).
 */
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string | undefined;
  base: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages in order, each with its instructions (FROM included). */
export function stagesOf(dockerfile: string): Stage[] {
  return parseDockerfile(dockerfile).stages;
}

/** The instructions before the first FROM (global ARGs) and the stages. */
function parseDockerfile(dockerfile: string): { global: Instruction[]; stages: Stage[] } {
  const global: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(dockerfile).getInstructions()) {
    // The instruction's own text less its keyword: flags (COPY --from=…) included, unlike getArgumentsContent().
    const text = instruction.getTextContent();
    const entry = { keyword: instruction.getKeyword().toUpperCase(), args: text.slice(text.search(/\s/) + 1).trim(), line: instruction.getRange().start.line + 1 };
    if (entry.keyword === 'FROM') {
      const [, base = '', , name] = /^(?:--\S+\s+)*(\S+)(\s+AS\s+(\S+))?/i.exec(entry.args) ?? [];
      stages.push({ name, base, instructions: [entry] });
    } else {
      (stages.at(-1)?.instructions ?? global).push(entry);
    }
  }
  return { global, stages };
}

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|API_?KEY|CREDENTIAL)/i;
const URL_WITH_PASSWORD = /:\/\/[^/\s:@]+:[^/\s@]+@/;
const SECRET_FILE = /(^|[\s/])(\.data|\.env[^\s]*|[^\s]*\.pem|[^\s]*\.key|id_rsa[^\s]*|\.npmrc\.secret)(\s|\/|$)/;
const NPM_INSTALL = /\bnpm\s+(ci|install|i)\b/;
const JAVA_OR_MAVEN = /\b(openjdk-\d+-\w+|default-jre\S*|default-jdk\S*|maven|temurin)\b/;

/** The NAME=value pairs an ENV or ARG sets (ENV's legacy `ENV NAME value` form too). */
function assignments(i: Instruction): Array<[string, string]> {
  if (i.keyword !== 'ENV' && i.keyword !== 'ARG') return [];
  const text = i.args.replace(/\\\r?\n/g, ' ').trim();
  if (i.keyword === 'ENV' && !/^[A-Za-z_]\w*=/.test(text)) {
    const [name = '', ...rest] = text.split(/\s+/);
    return [[name, rest.join(' ')]];
  }
  return [...text.matchAll(/([A-Za-z_]\w*)(?:=("[^"]*"|'[^']*'|\S*))?/g)].map((m) => [m[1]!, (m[2] ?? '').replace(/^["']|["']$/g, '')]);
}

/** Each rule the Dockerfile (with its .dockerignore and .npmrc) breaks, as a sentence naming the line. */
export function dockerfileProblems(dockerfile: string, dockerignore: string, npmrc: string): string[] {
  const problems: string[] = [];
  const { global, stages } = parseDockerfile(dockerfile);
  const final = stages.at(-1);
  if (!final) return ['no FROM: not a Dockerfile'];
  if (stages.length < 2) problems.push('not multi-stage: build tools and dev dependencies would ship in the image');
  const at = (i: Instruction) => `line ${i.line} (${i.keyword} ${i.args.split('\n')[0]})`;
  const inFinal = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword);

  const users = inFinal('USER');
  const user = users.at(-1)?.args.trim().split(':')[0];
  if (user === undefined) problems.push('the final stage sets no USER: the services would run as root');
  else if (user === 'root' || user === '0') problems.push(`${at(users.at(-1)!)}: the services would run as root`);
  else if (!/^\d+$/.test(user)) problems.push(`${at(users.at(-1)!)}: a numeric uid lets Kubernetes' runAsNonRoot check it`);

  const healthchecks = inFinal('HEALTHCHECK');
  if (healthchecks.length === 0 || /^NONE$/i.test(healthchecks.at(-1)!.args.trim())) problems.push('the final stage has no HEALTHCHECK');

  for (const stage of [{ name: '(global)', base: '', instructions: global }, ...stages]) {
    for (const i of stage.instructions) {
      for (const [name, value] of assignments(i)) {
        // An ARG named like a secret is one even without a default: build arguments stay in the image's history.
        const secret = (SECRET_NAME.test(name) && (value !== '' || i.keyword === 'ARG')) || URL_WITH_PASSWORD.test(value);
        if (secret) problems.push(`${at(i)}: a secret baked into the image (${name})`);
      }
      if ((i.keyword === 'COPY' || i.keyword === 'ADD') && SECRET_FILE.test(i.args)) problems.push(`${at(i)}: copies local secrets or state into the image`);
      if (i.keyword === 'RUN' && NPM_INSTALL.test(i.args)) {
        const npmrcBefore = stage.instructions.some((c) => c.line < i.line && c.keyword === 'COPY' && /(^|\s)\.npmrc(\s|$)/.test(c.args));
        if (!npmrcBefore) problems.push(`${at(i)}: npm runs without the project's .npmrc (onnxruntime-node-install=skip)`);
      }
      if (i.keyword === 'RUN' && JAVA_OR_MAVEN.test(i.args)) problems.push(`${at(i)}: installs Java or Maven (the embedded Neo4j launcher stays out; Neo4j runs as its own workload)`);
      if ((i.keyword === 'COPY' || i.keyword === 'ADD') && /knowledge-graph\/launcher/.test(i.args)) problems.push(`${at(i)}: copies the embedded Neo4j launcher`);
    }
  }

  for (const i of final.instructions) {
    if (i.keyword === 'RUN' && NPM_INSTALL.test(i.args) && !/--omit[= ]dev\b|--production\b/.test(i.args)) problems.push(`${at(i)}: installs dev dependencies into the final image`);
  }
  const modules = final.instructions.filter((i) => i.keyword === 'COPY' && /node_modules/.test(i.args));
  for (const copy of modules) {
    const from = /--from=(\S+)/.exec(copy.args)?.[1];
    const source = stages.find((s) => s.name === from);
    const installs = source?.instructions.filter((i) => i.keyword === 'RUN' && NPM_INSTALL.test(i.args)) ?? [];
    if (!source || installs.length === 0 || installs.some((i) => !/--omit[= ]dev\b|--production\b/.test(i.args))) {
      problems.push(`${at(copy)}: node_modules must come from a stage that installs with npm ci --omit=dev`);
    }
  }
  if (modules.length === 0 && !final.instructions.some((i) => i.keyword === 'RUN' && NPM_INSTALL.test(i.args))) problems.push('the final stage gets no node_modules');

  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const last = inFinal(keyword).at(-1);
    if (last && !last.args.trim().startsWith('[')) problems.push(`${at(last)}: shell form; SIGTERM would reach a shell, not node`);
  }
  if (!inFinal('ENTRYPOINT').length && !inFinal('CMD').length) problems.push('the final stage has no ENTRYPOINT or CMD');
  if (!inFinal('ENV').some((i) => /\bTMPDIR=\//.test(i.args))) problems.push('the final stage sets no TMPDIR: a read-only root needs one writable path named');

  if (!/^\s*onnxruntime-node-install\s*=\s*skip\s*$/m.test(npmrc)) problems.push('.npmrc lacks onnxruntime-node-install=skip');
  const ignore = dockerignore.split('\n').map((l) => l.trim());
  const allowList = ignore.includes('*');
  for (const path of ['.data', '.env', 'node_modules', '.git']) {
    const allowed = ignore.some((l) => l.startsWith('!') && l.replace(/^!/, '').replace(/\/$/, '') === path);
    const excluded = allowList ? !allowed : ignore.some((l) => l.replace(/^\*\*\//, '').replace(/\*$/, '').replace(/\/$/, '') === path);
    if (!excluded || allowed) problems.push(`.dockerignore lets ${path} into the build context`);
  }

  for (const diagnostic of validate(dockerfile)) problems.push(`line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
  return problems;
}
