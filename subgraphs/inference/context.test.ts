import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { createInferenceContext, FIELDS_READING_THE_RECORD, type InferenceServices } from './context';
import type { PatientDirectory } from '../../lib/contracts/patient-directory';
import type { Identity } from '../../lib/identity';

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

describe('checkPatientEvent (a patient subscription, before each event it delivers)', () => {
  const PATIENT = '0b5c3b1e-0000-4000-8000-000000000001';
  const clinician: Identity = { subject: 'dr-a', role: 'clinician', client: 'test', organisation: 'org-a' };
  /** A connection's context over a directory that counts its reads and holds the patient in `holds`. */
  function connection(holds: string | null) {
    const reads: string[][] = [];
    const directory: PatientDirectory = {
      entriesOf: async (ids) => {
        reads.push([...ids]);
        return ids.map(() => ({ organization: holds, researchConsent: false }));
      },
    };
    const services = { clients: {}, patients: { noting: () => ({}) }, directory, deadLetters: {}, notes: {}, log: {} } as unknown as InferenceServices;
    return { context: createInferenceContext(services, clinician, 'ws'), reads };
  }

  it('decides from the organisation the event was published under, reading nothing', async () => {
    const { context, reads } = connection('org-a');
    await expect(context.checkPatientEvent(PATIENT, { access: { patientId: PATIENT, organization: 'org-a' } })).resolves.toBeUndefined();
    await expect(context.checkPatientEvent(PATIENT, { access: { patientId: PATIENT, organization: 'org-b' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(reads).toEqual([]);
  });

  it('reads the access directory afresh for an event without a stamp for this patient (none kept between events)', async () => {
    const { context, reads } = connection('org-a');
    await expect(context.checkPatientEvent(PATIENT, { riskUpdated: {} })).resolves.toBeUndefined();
    await expect(context.checkPatientEvent(PATIENT, { access: { patientId: 'another', organization: 'org-a' } })).resolves.toBeUndefined();
    expect(reads).toEqual([[PATIENT], [PATIENT]]);
  });
});
