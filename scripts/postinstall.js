// Builds the embedded Neo4j launcher at install time, so the first `npm start` is ready in seconds
// instead of waiting on Maven. Skipped when NEO4J_URI names a server or Maven is absent (then
// `npm start` builds it, or says what is missing).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const launcher = path.join(__dirname, '..', 'knowledge-graph', 'launcher');
if (process.env.NEO4J_URI) {
  console.log('precision-hub: NEO4J_URI is set; not building the embedded Neo4j launcher');
} else if (fs.existsSync(path.join(launcher, 'target', 'lib')) && fs.existsSync(path.join(launcher, 'target', 'classes'))) {
  console.log('precision-hub: embedded Neo4j launcher already built');
} else if (spawnSync('mvn', ['-v'], { stdio: 'ignore' }).status !== 0) {
  console.log('precision-hub: Maven not found; install Java 17 + Maven for the embedded Neo4j, or set NEO4J_URI');
} else {
  console.log('precision-hub: building the embedded Neo4j launcher (Maven Central, ~2 min on a cold cache)');
  const result = spawnSync('mvn', ['-q', '-B', '-DskipTests', '-f', path.join(launcher, 'pom.xml'), 'package'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) console.log('precision-hub: launcher build failed; `npm run kg:build` retries and shows why');
}
