import { cardiovascularCategory, modelApplicability, prevalentDiseases, procedureCategory } from './ascvd-applicability';

const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

describe('cardiovascularCategory', () => {
  // Synthea's codes: CardiovascularDiseaseModule.java, heart/stemi_pathway.json, heart/nsteacs_pathway.json,
  // congestive_heart_failure.json (synthetichealth/synthea); see data/SOURCE.md.
  it.each([
    ['22298006', 'myocardial infarction'],
    ['399211009', 'myocardial infarction'],
    ['401303003', 'myocardial infarction'],
    ['401314000', 'myocardial infarction'],
    ['53741008', 'coronary heart disease'],
    ['4557003', 'coronary heart disease'],
    ['230690007', 'ischaemic stroke or transient ischaemic attack'],
    ['266257000', 'ischaemic stroke or transient ischaemic attack'],
    ['399957001', 'peripheral arterial disease'],
    ['399261000', 'coronary or peripheral revascularisation'],
    ['88805009', 'heart failure'],
    ['84114007', 'heart failure'],
  ])('knows SNOMED CT %s as %s', (code, label) => {
    expect(cardiovascularCategory({ system: SNOMED, code })?.label).toBe(label);
  });

  it.each([
    ['I21.4', 'myocardial infarction'],
    ['I25.2', 'myocardial infarction'],
    ['I25.10', 'coronary heart disease'],
    ['I20.0', 'coronary heart disease'],
    ['I63.9', 'ischaemic stroke or transient ischaemic attack'],
    ['G45.9', 'ischaemic stroke or transient ischaemic attack'],
    ['I70.213', 'peripheral arterial disease'],
    ['I73.9', 'peripheral arterial disease'],
    ['Z95.1', 'coronary or peripheral revascularisation'],
    ['Z955', 'coronary or peripheral revascularisation'],
    ['I50.22', 'heart failure'],
    ['I11.0', 'heart failure'],
  ])('knows ICD-10-CM %s as %s', (code, label) => {
    expect(cardiovascularCategory({ system: ICD10CM, code })?.label).toBe(label);
  });

  it.each([
    ['I20.1', 'vasospastic angina'],
    ['I25.42', 'coronary artery dissection'],
    ['G45.4', 'transient global amnesia'],
    ['I61.9', 'haemorrhagic stroke'],
    ['I70.0', 'aortic atherosclerosis'],
    ['I10', 'hypertension'],
    ['I48.91', 'atrial fibrillation'],
  ])('does not count ICD-10-CM %s (%s) as established ASCVD', (code) => {
    expect(cardiovascularCategory({ system: ICD10CM, code })).toBeNull();
  });

  it('ignores codes of other systems and SNOMED codes outside the sets', () => {
    expect(cardiovascularCategory({ system: SNOMED, code: '38341003' })).toBeNull(); // hypertension
    expect(cardiovascularCategory({ system: 'http://loinc.org', code: 'I21' })).toBeNull();
  });
});

describe('prevalentDiseases and modelApplicability', () => {
  const chd = { id: 'c-chd', code: { system: SNOMED, code: '53741008', display: 'Coronary Heart Disease' }, clinicalStatus: 'active', onsetAt: '2012-04-02T10:00:00Z' };
  const mi = { id: 'c-mi', code: { system: SNOMED, code: '22298006', display: 'Myocardial Infarction' }, clinicalStatus: 'resolved', onsetAt: '2009-11-20T08:00:00Z' };
  const hf = { id: 'c-hf', code: { system: ICD10CM, code: 'I50.9', display: 'Heart failure, unspecified' }, clinicalStatus: 'active', recordedAt: '2020-01-05T00:00:00Z' };

  it('takes a resolved MI as established ASCVD and names the earliest condition as the cause', () => {
    const diseases = prevalentDiseases([chd, mi]);
    expect(diseases).toEqual([
      { kind: 'ESTABLISHED_ASCVD', category: 'myocardial infarction',
        causedBy: { resourceType: 'Condition', id: 'c-mi', system: SNOMED, code: '22298006', display: 'Myocardial Infarction', onsetAt: '2009-11-20T08:00:00Z', recordedAt: null, performedAt: null } },
    ]);
    const [pce, prevent] = modelApplicability(diseases);
    expect(pce).toEqual({
      model: 'PCE',
      applicable: false,
      reason: 'secondary prevention, established ASCVD — myocardial infarction: Myocardial Infarction (SNOMED CT 22298006), onset 2009-11-20; the Pooled Cohort Equations estimate a first ASCVD event in adults without ASCVD (2019 ACC/AHA primary prevention guideline)',
      causedBy: diseases[0]!.causedBy,
    });
    expect(prevent).toMatchObject({ model: 'PREVENT', applicable: false, causedBy: diseases[0]!.causedBy });
    expect(prevent!.reason).toMatch(/^established ASCVD — myocardial infarction: .*PREVENT was derived in adults without known cardiovascular disease/);
  });

  it('leaves PCE applicable with heart failure alone, and takes PREVENT out of it', () => {
    const [pce, prevent] = modelApplicability(prevalentDiseases([hf]));
    expect(pce).toEqual({ model: 'PCE', applicable: true, reason: null, causedBy: null });
    expect(prevent).toMatchObject({ applicable: false, causedBy: { id: 'c-hf', code: 'I50.9' } });
    expect(prevent!.reason).toMatch(/^prevalent heart failure — heart failure: Heart failure, unspecified \(ICD-10-CM I50.9\), recorded 2020-01-05; PREVENT was derived/);
  });

  it('applies both models to a problem list without cardiovascular disease', () => {
    const hypertension = { code: { system: SNOMED, code: '38341003' }, clinicalStatus: 'active' };
    expect(prevalentDiseases([hypertension])).toEqual([]);
    expect(modelApplicability([]).map((a) => a.applicable)).toEqual([true, true]);
  });

  // Condition.verificationStatus, FHIR R4 ValueSet condition-ver-status: refuted = "ruled out by subsequent
  // diagnostic and clinical evidence"; entered-in-error = the record is wrong.
  it.each(['refuted', 'entered-in-error'])('does not count a %s MI: both models stay applicable', (verificationStatus) => {
    expect(prevalentDiseases([{ ...mi, verificationStatus }])).toEqual([]);
    expect(modelApplicability(prevalentDiseases([{ ...mi, verificationStatus }])).map((a) => a.applicable)).toEqual([true, true]);
  });

  it('counts unconfirmed, provisional and confirmed diagnoses, and the next asserted one when the earliest is refuted', () => {
    for (const verificationStatus of ['confirmed', 'unconfirmed', 'provisional', null]) expect(prevalentDiseases([{ ...mi, verificationStatus }])).toHaveLength(1);
    expect(prevalentDiseases([{ ...mi, verificationStatus: 'refuted' }, chd])[0]!.causedBy).toMatchObject({ id: 'c-chd', code: '53741008' });
  });
});

describe('revascularisation procedures', () => {
  // Synthea: heart/stemi_pathway.json state PCI (415070008); heart/cabg/operation.json CABG (232717009) and
  // Emergency_CABG (414088005); HL7 AU Base example Procedure/example2 (36969009). See data/SOURCE.md.
  const pci = { id: 'p-pci', code: { system: SNOMED, code: '415070008', display: 'Percutaneous coronary intervention' }, status: 'completed', performedAt: '2016-03-02T10:15:00.000Z' };

  it.each(['232717009', '414088005', '415070008', '36969009'])('knows SNOMED CT procedure %s as revascularisation', (code) => {
    expect(procedureCategory({ system: SNOMED, code })).toMatchObject({ label: 'coronary or peripheral revascularisation', disease: 'ESTABLISHED_ASCVD' });
  });

  it('does not take procedure codes as conditions, nor other procedures as revascularisation', () => {
    expect(cardiovascularCategory({ system: SNOMED, code: '415070008' })).toBeNull();
    expect(procedureCategory({ system: SNOMED, code: '33367005' })).toBeNull(); // Angiography of coronary artery (stemi_pathway.json): diagnostic
    expect(procedureCategory({ system: 'http://www.ama-assn.org/go/cpt', code: '415070008' })).toBeNull();
  });

  it('takes a completed PCI as established ASCVD and names the procedure and its date', () => {
    const diseases = prevalentDiseases([], [pci]);
    expect(diseases).toEqual([
      { kind: 'ESTABLISHED_ASCVD', category: 'coronary or peripheral revascularisation',
        causedBy: { resourceType: 'Procedure', id: 'p-pci', system: SNOMED, code: '415070008', display: 'Percutaneous coronary intervention', onsetAt: null, recordedAt: null, performedAt: '2016-03-02T10:15:00.000Z' } },
    ]);
    const [pce] = modelApplicability(diseases);
    expect(pce!.reason).toBe(
      'secondary prevention, established ASCVD — coronary or peripheral revascularisation: Percutaneous coronary intervention (SNOMED CT 415070008), performed 2016-03-02; the Pooled Cohort Equations estimate a first ASCVD event in adults without ASCVD (2019 ACC/AHA primary prevention guideline)',
    );
  });

  it.each(['not-done', 'entered-in-error', 'stopped', 'in-progress', 'preparation', 'on-hold', 'unknown'])('does not count a PCI with status %s', (status) => {
    expect(prevalentDiseases([], [{ ...pci, status }])).toEqual([]);
  });

  it('names the earlier of a condition and a procedure', () => {
    const laterChd = { id: 'c-chd', code: { system: SNOMED, code: '53741008', display: 'Coronary Heart Disease' }, clinicalStatus: 'active', onsetAt: '2018-01-01T00:00:00.000Z' };
    expect(prevalentDiseases([laterChd], [pci])[0]!.causedBy.id).toBe('p-pci');
    expect(prevalentDiseases([{ ...laterChd, onsetAt: '2010-01-01T00:00:00.000Z' }], [pci])[0]!.causedBy.id).toBe('c-chd');
  });
});
