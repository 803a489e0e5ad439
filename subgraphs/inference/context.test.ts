import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { FIELDS_READING_THE_RECORD } from './context';

describe('FIELDS_READING_THE_RECORD', () => {
  it('names only Patient fields the inference subgraph serves, and not the notes fields that read no record', () => {
    const sdl = fs.readFileSync(path.join(__dirname, '../../schema/inference.graphql'), 'utf8');
    const patientFields = new Set<string>();
    for (const definition of parse(sdl).definitions) {
      if ((definition.kind === 'ObjectTypeDefinition' || definition.kind === 'ObjectTypeExtension') && definition.name.value === 'Patient') {
        for (const field of definition.fields ?? []) patientFields.add(`Patient.${field.name.value}`);
      }
    }
    expect(patientFields.size).toBeGreaterThan(5);
    for (const coordinate of FIELDS_READING_THE_RECORD) expect(patientFields).toContain(coordinate);
    for (const recordFree of ['Patient.noteFindings', 'Patient.noteProcessing', 'Patient.similarPatients']) {
      expect(FIELDS_READING_THE_RECORD.has(recordFree)).toBe(false);
    }
  });
});
