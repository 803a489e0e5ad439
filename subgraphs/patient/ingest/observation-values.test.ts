/**
 * Observation.value[x] through parseBundle (issues 16 and 17): every value type FHIR R4 allows
 * (http://hl7.org/fhir/R4/observation-definitions.html#Observation.value_x_) is either stored or left
 * out with a warning; none refuses the bundle. The text values are the ones real Synthea 3.3.0 output
 * carries (tests/fixtures/synthea-3.3.0/SOURCE.md): 29554-3 Procedure Narrative "CABG Grafts: 3",
 * 85318-4 HER2 by FISH "less than 1.8", and the PRAPARE address answer (56799-0) as a component.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { parseBundle, UNSTORED_VALUE_TYPES } from './fhir-mapping';
import { validateFhirResource } from './fhir-validation';
import { MAX_OBSERVATION_TEXT_LENGTH } from '../domain/text-limits';

const PATIENT = 'urn:uuid:6b7c9c5e-1d7e-4a53-9d0e-000000000002';
const LOINC = 'http://loinc.org';

function bundle(...resources: Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: PATIENT, resource: { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:test', value: 'mrn-2' }], name: [{ given: ['Ada'], family: 'Mae' }] } },
      ...resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
    ],
  };
}

const observation = (id: string, code: string, display: string, value: Record<string, unknown>): Resource =>
  ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: LOINC, code, display }], text: display },
    subject: { reference: PATIENT },
    effectiveDateTime: '2016-03-02T10:15:00-05:00',
    ...value,
  }) as Resource;

const narrative = (valueString: string) => observation('narrative-1', '29554-3', 'Procedure Narrative', { valueString });
const parse = (...resources: Resource[]) => parseBundle(bundle(...resources), validateFhirResource);

describe('Observation value types', () => {
  it('stores a valueString as text, with no numeric value, so no calculation reads it', () => {
    const parsed = parse(narrative('CABG Grafts: 3'), observation('her2-1', '85318-4', 'HER2 [Presence] in Breast cancer specimen by FISH', { valueString: 'less than 1.8' }));
    expect(parsed.rejects).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.observations.map((o) => [o.code, o.valueText, o.value, o.unit, o.valueCode, o.flag])).toEqual([
      ['29554-3', 'CABG Grafts: 3', null, null, null, null],
      ['85318-4', 'less than 1.8', null, null, null, null],
    ]);
    expect(parsed.observations[0]).toMatchObject({ sourceKey: 'Observation/narrative-1', effectiveAt: '2016-03-02T15:15:00.000Z' });
  });

  it('stores a component valueString beside the other components (Synthea PRAPARE: address with counts)', () => {
    const prapare = observation('prapare-1', '93025-5', 'Protocol for Responding to and Assessing Patients Assets, Risks, and Experiences [PRAPARE]', {
      component: [
        { code: { coding: [{ system: LOINC, code: '56799-0', display: 'Address' }] }, valueString: '1086 Conroy Burg Suite 75' },
        { code: { coding: [{ system: LOINC, code: '63512-8', display: 'How many people are living or staying at this address?' }] }, valueQuantity: { value: 2, unit: '{#}', system: 'http://unitsofmeasure.org', code: '{#}' } },
      ],
    });
    const parsed = parse(prapare);
    expect(parsed.rejects).toEqual([]);
    expect(parsed.observations.map((o) => [o.sourceKey, o.code, o.valueText, o.value])).toEqual([
      ['Observation/prapare-1#component-0', '56799-0', '1086 Conroy Burg Suite 75', null],
      ['Observation/prapare-1#component-1', '63512-8', null, 2],
    ]);
  });

  it('keeps line breaks and tabs in text, as in notes', () => {
    const parsed = parse(narrative('CABG Grafts: 3\r\n\tArterial conduits: 3'));
    expect(parsed.rejects).toEqual([]);
    expect(parsed.observations[0]!.valueText).toBe('CABG Grafts: 3\r\n\tArterial conduits: 3');
  });

  it('refuses text with a control character or over its limit with the codes notes and displays use', () => {
    expect(parse(narrative('CABG \u001b[2J Grafts: 3')).rejects).toEqual([
      { resource: 'Observation/narrative-1', field: 'valueString', reason: expect.stringContaining('control character'), code: 'CONTROL_CHARACTER' },
    ]);
    expect(parse(narrative('x'.repeat(MAX_OBSERVATION_TEXT_LENGTH + 1))).rejects).toEqual([
      { resource: 'Observation/narrative-1', field: 'valueString', reason: `${MAX_OBSERVATION_TEXT_LENGTH + 1} characters, more than ${MAX_OBSERVATION_TEXT_LENGTH}`, code: 'TEXT_TOO_LONG' },
    ]);
    expect(parse(narrative('   ')).rejects).toEqual([{ resource: 'Observation/narrative-1', field: 'valueString', reason: 'empty text', code: 'MISSING_ELEMENT' }]);
  });

  // One valid example per R4 type the hub does not store; each is left out with a warning naming it.
  const unstored: Record<(typeof UNSTORED_VALUE_TYPES)[number], unknown> = {
    valueBoolean: true,
    valueInteger: 3,
    valueRange: { low: { value: 1, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' }, high: { value: 2, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
    valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } },
    valueSampledData: { origin: { value: 0 }, period: 10, dimensions: 1, data: '1 2 3' },
    valueTime: '10:15:00',
    valueDateTime: '2016-03-02T10:15:00-05:00',
    valuePeriod: { start: '2016-03-02T10:15:00-05:00' },
  };
  it.each(Object.entries(unstored))('leaves out a %s Observation with UNSUPPORTED_VALUE_TYPE and stores the rest of the bundle', (type, value) => {
    const parsed = parse(observation('other-1', '8310-5', 'Body temperature', { [type]: value }), narrative('CABG Grafts: 3'));
    expect(parsed.rejects).toEqual([]);
    expect(parsed.patients).toHaveLength(1);
    expect(parsed.observations.map((o) => o.sourceKey)).toEqual(['Observation/narrative-1']);
    expect(parsed.warnings).toEqual([{ resource: 'Observation/other-1', field: type, reason: expect.stringContaining('left out'), code: 'UNSUPPORTED_VALUE_TYPE' }]);
  });

  it('stores the components of an Observation whose own value is of a type not stored', () => {
    const parsed = parse(observation('bp-1', '85354-9', 'Blood pressure panel', {
      valueBoolean: true,
      component: [{ code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: 128, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } }],
    }));
    expect(parsed.observations.map((o) => [o.code, o.value])).toEqual([['8480-6', 128]]);
    expect(parsed.warnings.map((w) => [w.field, w.code])).toEqual([['valueBoolean', 'UNSUPPORTED_VALUE_TYPE']]);
  });

  it('still refuses an Observation with no value at all (itself or in a component)', () => {
    expect(parse(observation('empty-1', '8310-5', 'Body temperature', {})).rejects.map((r) => [r.field, r.code])).toEqual([['value[x]', 'MISSING_ELEMENT']]);
  });
});
