import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from './compose';

describe('the generated supergraph', () => {
  it('composes from the four subgraph SDLs', () => {
    const sdl = composeSupergraph();
    for (const graph of ['PATIENT', 'GENOMICS', 'KNOWLEDGE_GRAPH', 'INFERENCE']) {
      expect(sdl).toContain(`${graph} @join__graph(`);
    }
    expect(sdl).toMatch(/riskUpdated\(patientId: ID!\): RiskUpdate!/);
  });

  it('is up to date with the subgraph SDLs (run `npm run compose` when this fails)', () => {
    expect(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph());
  });
});
