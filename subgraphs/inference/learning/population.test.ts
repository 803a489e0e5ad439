import { buildTrainingExample, type OutcomeDefinition, type PatientHistory } from './features';
import { learnedRisks } from './learned-risk';
import { RISK_MODEL_DEFINITIONS } from './model-definitions';
import { FIRST_EVENT_POPULATION, populationExclusion } from './population';
import type { StoredRiskModel } from './registry';
import { SYNTHETIC_INDEX_DATE, SYNTHETIC_OUTCOME, syntheticCohort } from './synthetic-cohort';
import { modelCard, trainRiskModel } from './training';
import type { TrainingExample } from './features';

const SNOMED = 'http://snomed.info/sct';
const ASCVD: OutcomeDefinition = RISK_MODEL_DEFINITIONS['ascvd-5y']!.outcome;
const INDEX = new Date('2021-12-06T00:00:00Z');

function history(overrides: Partial<PatientHistory> = {}): PatientHistory {
  return { id: 'p1', birthDate: '1960-06-15', sex: 'MALE', race: 'WHITE', observations: [], conditions: [], medications: [], followUpEndsAt: '2026-12-06', ...overrides };
}
// Synthea's codes (data/SOURCE.md): 53741008 Coronary Heart Disease, 415070008 Percutaneous coronary intervention.
const chd = (onsetAt: string | null, verificationStatus: string | null = null) => ({ id: 'c-chd', code: { system: SNOMED, code: '53741008', display: 'Coronary Heart Disease' }, clinicalStatus: 'active', verificationStatus, onsetAt });
const pci = (performedAt: string | null, status = 'completed') => ({ id: 'p-pci', code: { system: SNOMED, code: '415070008', display: 'Percutaneous coronary intervention' }, status, performedAt });

describe('the ascvd-5y model declares a first-event population', () => {
  it('is the population of PCE and PREVENT; the diabetes model declares none', () => {
    expect(RISK_MODEL_DEFINITIONS['ascvd-5y']!.population).toBe(FIRST_EVENT_POPULATION);
    expect(RISK_MODEL_DEFINITIONS['type2-diabetes-5y']!.population).toBeNull();
  });
});

describe('training leaves out patients with established ASCVD on the index date', () => {
  const population = FIRST_EVENT_POPULATION;

  it('excludes a patient with coronary heart disease or a completed PCI before the index date', () => {
    expect(buildTrainingExample(history({ conditions: [chd('2015-04-01')] }), INDEX, ASCVD, population)).toEqual({ patientId: 'p1', excluded: 'established-ascvd' });
    expect(buildTrainingExample(history({ procedures: [pci('2016-03-02T10:15:00.000Z')] }), INDEX, ASCVD, population)).toEqual({ patientId: 'p1', excluded: 'established-ascvd' });
  });

  it('excludes a patient whose ASCVD record is undated (it may precede the index date)', () => {
    expect(buildTrainingExample(history({ conditions: [chd(null)] }), INDEX, ASCVD, population)).toMatchObject({ excluded: 'established-ascvd' });
  });

  it('keeps a patient whose ASCVD came after the index date, a refuted diagnosis, or a PCI not done', () => {
    expect(buildTrainingExample(history({ conditions: [chd('2023-01-01')] }), INDEX, ASCVD, population)).toMatchObject({ outcome: 0 });
    expect(buildTrainingExample(history({ conditions: [chd('2015-04-01', 'refuted')] }), INDEX, ASCVD, population)).toMatchObject({ outcome: 0 });
    expect(buildTrainingExample(history({ procedures: [pci('2016-03-02T10:15:00.000Z', 'not-done')] }), INDEX, ASCVD, population)).toMatchObject({ outcome: 0 });
  });

  it('keeps everyone for a model without a population', () => {
    expect(buildTrainingExample(history({ conditions: [chd('2015-04-01')] }), INDEX, ASCVD, null)).toMatchObject({ outcome: 0 });
  });

  it('at serving time counts every record, dated or not', () => {
    expect(populationExclusion(population, [chd('2026-01-01')], [])?.causedBy.id).toBe('c-chd');
    expect(populationExclusion(population, [chd('2026-01-01')], [], '2021-12-06')).toBeNull();
  });
});

describe('a promoted learned ASCVD model answers for a patient', () => {
  const examples = syntheticCohort({ patients: 3_000, seed: 7 })
    .map((p) => buildTrainingExample(p.history, SYNTHETIC_INDEX_DATE, SYNTHETIC_OUTCOME))
    .filter((e): e is TrainingExample => 'features' in e);
  const { model } = trainRiskModel(examples, {
    name: 'ascvd-5y', version: 'v1', createdAt: new Date('2026-12-06T00:00:00Z'), trainingWindow: { from: '2021-12-06', to: '2026-12-06' },
    outcome: SYNTHETIC_OUTCOME, population: FIRST_EVENT_POPULATION.rationale, seed: 1,
  });
  const stored: StoredRiskModel = { name: 'ascvd-5y', version: 'v1', status: 'promoted', createdAt: new Date(), model, decision: { promote: true, reasons: [] } };
  const at = new Date('2026-12-06T00:00:00Z');

  it('gives no prediction to a patient with a completed PCI, naming the procedure', () => {
    const [risk] = learnedRisks([stored], history({ procedures: [pci('2016-03-02T10:15:00.000Z')] }), at);
    expect(risk).toEqual({
      model: 'ascvd-5y', version: 'v1', outcome: SYNTHETIC_OUTCOME.name, horizonYears: SYNTHETIC_OUTCOME.years,
      applicable: false,
      notApplicableReason:
        'secondary prevention, established ASCVD — coronary or peripheral revascularisation: Percutaneous coronary intervention (SNOMED CT 415070008), performed 2016-03-02; a model of first ASCVD events applies to adults without established ASCVD, as the Pooled Cohort Equations and PREVENT do (2019 ACC/AHA primary prevention guideline)',
      causedBy: { resourceType: 'Procedure', id: 'p-pci', system: SNOMED, code: '415070008', display: 'Percutaneous coronary intervention', onsetAt: null, recordedAt: null, performedAt: '2016-03-02T10:15:00.000Z' },
      probability: null, baselineLogOdds: null, contributions: [],
    });
  });

  it('predicts for a patient without established ASCVD, and for one whose MI was refuted', () => {
    const [plain] = learnedRisks([stored], history(), at);
    const [refuted] = learnedRisks([stored], history({ conditions: [chd('2015-04-01', 'refuted')] }), at);
    expect(plain).toMatchObject({ applicable: true, notApplicableReason: null, causedBy: null, probability: expect.any(Number) });
    expect(refuted!.probability).toEqual(expect.any(Number));
  });

  it('says so on the model card', () => {
    const card = modelCard(model);
    expect(card.outOfScope).toContain(`Patients outside its population, who get no prediction: ${FIRST_EVENT_POPULATION.rationale}`);
    expect(card.outcome.description).toContain('patients with established ASCVD on the index date excluded');
  });
});
