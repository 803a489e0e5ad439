'use strict';
/* global require, module, process, console */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: runs in the image with no build step */
// The image's HEALTHCHECK: GET /health of the service this container runs. Which service that is comes
// from the node process's entry file; its port from the variables lib/config.ts reads (same defaults).
// Exits 0 when the service answers 200 within 2 s, 1 otherwise. (Kubernetes uses its own probes.)
const fs = require('node:fs');
const http = require('node:http');

const SERVICES = {
  'gateway/index.js': { keys: ['PORT', 'GATEWAY_PORT'], port: 4000 },
  'subgraphs/patient/index.js': { keys: ['PATIENT_PORT'], port: 4001 },
  'subgraphs/genomics/index.js': { keys: ['GENOMICS_PORT'], port: 4002 },
  'subgraphs/knowledge-graph/index.js': { keys: ['KNOWLEDGE_GRAPH_PORT'], port: 4003 },
  'subgraphs/inference/index.js': { keys: ['INFERENCE_PORT'], port: 4004 },
};

/** The service whose entry file a running node process was started with, or undefined. */
function runningService(procDir = '/proc') {
  for (const pid of fs.readdirSync(procDir).filter((name) => /^\d+$/.test(name))) {
    let args;
    try {
      args = fs.readFileSync(`${procDir}/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    for (const arg of args) {
      const entry = Object.keys(SERVICES).find((file) => arg === file || arg.endsWith(`/${file}`));
      if (entry) return SERVICES[entry];
    }
  }
  return undefined;
}

function portOf(service, env = process.env) {
  for (const key of service.keys) if (env[key]) return Number(env[key]);
  return service.port;
}

function main() {
  const service = runningService();
  if (!service) {
    console.error('healthcheck: no Precision Hub service runs in this container');
    process.exit(1);
  }
  const request = http.get({ host: '127.0.0.1', port: portOf(service), path: '/health', timeout: 2000 }, (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  });
  request.on('timeout', () => request.destroy(new Error('timed out')));
  request.on('error', (error) => {
    console.error(`healthcheck: ${error.message}`);
    process.exit(1);
  });
}

if (require.main === module) main();
module.exports = { runningService, portOf, SERVICES };
