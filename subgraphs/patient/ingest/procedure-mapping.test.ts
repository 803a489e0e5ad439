/**
 * FHIR Procedure and Condition.verificationStatus through parseBundle (issue 17): what is stored, what is
 * skipped and how a bad Procedure is refused (the codes of IngestRejectCode, as for every other resource).
 * Codes from Synthea: heart/stemi_pathway.json state PCI, SNOMED CT 415070008 (see
 * subgraphs/inference/domain/data/SOURCE.md).
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { parseBundle } from './fhir-mapping';
import { validateFhirResource } from './fhir-validation';

const PATIENT = 'urn:uuid:6b7c9c5e-1d7e-4a53-9d0e-000000000001';
const SNOMED = 'http://snomed.info/sct';

function bundle(...resources: Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: PATIENT, resource: { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:test', value: 'mrn-1' }], name: [{ given: ['Ada'], family: 'Mae' }] } },
      ...resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
    ],
  };
}

const pci = (overrides: Record<string, unknown> = {}): Resource =>
  ({
    resourceType: 'Procedure',
    id: 'pci-1',
    status: 'completed',
    code: { coding: [{ system: SNOMED, code: '415070008', display: 'Percutaneous coronary intervention (procedure)' }], text: 'Percutaneous coronary intervention (procedure)' },
    subject: { reference: PATIENT },
    performedPeriod: { start: '2016-03-02T10:15:00-05:00', end: '2016-03-02T11:30:00-05:00' },
    ...overrides,
  }) as Resource;

const parse = (...resources: Resource[]) => parseBundle(bundle(...resources), validateFhirResource);

describe('Procedure ingestion', () => {
  it('maps a completed PCI: code, status, performed time (the start of performedPeriod)', () => {
    const parsed = parse(pci());
    expect(parsed.rejects).toEqual([]);
    expect(parsed.skippedTypes).toEqual({});
    expect(parsed.procedures).toEqual([
      { patientRef: PATIENT, sourcePatient: 'Patient/p1', sourceKey: 'Procedure/pci-1', codeSystem: SNOMED, code: '415070008', display: 'Percutaneous coronary intervention (procedure)', status: 'completed', performedAt: '2016-03-02T15:15:00.000Z' },
    ]);
  });

  it('stores a not-done procedure with its status, and skips an entered-in-error one', () => {
    expect(parse(pci({ status: 'not-done' })).procedures[0]!.status).toBe('not-done');
    const parsed = parse(pci({ status: 'entered-in-error' }));
    expect(parsed.procedures).toEqual([]);
    expect(parsed.skipped).toBe(1);
  });

  it.each([
    ['a performed date in the future', { performedDateTime: '2999-01-01', performedPeriod: undefined }, { field: 'performed[x]', code: 'INVALID_DATE' }],
    ['no code', { code: { text: 'stent' } }, { field: 'code', code: 'MISSING_ELEMENT' }],
    ['no status', { status: undefined }, { field: 'status', code: 'MISSING_ELEMENT' }],
    ['a status outside event-status', { status: 'done' }, { field: 'status', code: 'INVALID_CODE' }],
    ['a line break in the display', { code: { coding: [{ system: SNOMED, code: '415070008', display: 'PCI\nby Dr X' }] } }, { field: 'code.coding.display', code: 'CONTROL_CHARACTER' }],
    ['a display longer than any SNOMED CT term', { code: { coding: [{ system: SNOMED, code: '415070008', display: 'x'.repeat(501) }] } }, { field: 'code.coding.display', code: 'TEXT_TOO_LONG' }],
    ['a subject that is not in the bundle', { subject: { reference: 'urn:uuid:elsewhere' } }, { field: 'subject', code: 'UNRESOLVED_REFERENCE' }],
  ])('refuses a Procedure with %s', (_, overrides, expected) => {
    const parsed = parse(pci(overrides));
    expect(parsed.rejects[0]).toMatchObject({ resource: 'Procedure/pci-1', ...expected });
  });

  it('refuses a NUL in the display, naming where it is', () => {
    const parsed = parse(pci({ code: { coding: [{ system: SNOMED, code: '415070008', display: 'PCI\u0000' }] } }));
    expect(parsed.rejects).toEqual([{ resource: 'Procedure/pci-1', field: 'code.coding[0].display', reason: 'contains a NUL character', code: 'CONTROL_CHARACTER' }]);
  });
});

describe('Condition.verificationStatus', () => {
  it('is stored as its FHIR code (a refuted MI stays on record, marked refuted)', () => {
    const parsed = parse({
      resourceType: 'Condition',
      id: 'mi-1',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'refuted' }] },
      code: { coding: [{ system: SNOMED, code: '22298006', display: 'Myocardial Infarction' }] },
      subject: { reference: PATIENT },
      onsetDateTime: '2016-03-02T09:00:00-05:00',
    } as Resource);
    expect(parsed.rejects).toEqual([]);
    expect(parsed.conditions[0]).toMatchObject({ code: '22298006', clinicalStatus: 'resolved', verificationStatus: 'refuted' });
  });
});
