import { snapshotRecord } from './test-support';
import { phaseEnums, snapshotTrialRow, statusEnum } from './trials-snapshot';

describe('flattened ClinicalTrials.gov export records', () => {
  it('turns display phases and statuses back into the API v2 enums', () => {
    expect(['Phase 1/Phase 2', 'Early Phase 1', 'Not Applicable', 'Phase 4', null].map(phaseEnums)).toEqual([['PHASE1', 'PHASE2'], ['EARLY_PHASE1'], ['NA'], ['PHASE4'], []]);
    expect(['Recruiting', 'Not yet recruiting', 'Enrolling by invitation', 'Active, not recruiting', ''].map(statusEnum)).toEqual([
      'RECRUITING',
      'NOT_YET_RECRUITING',
      'ENROLLING_BY_INVITATION',
      'ACTIVE_NOT_RECRUITING',
      null,
    ]);
  });

  it('reads a record as the v2 reader would: mentions, ages, sites by country, interventions as known drugs only', () => {
    const row = snapshotTrialRow(snapshotRecord('NCT99000001', 'ABC'));
    expect(row).toMatchObject({
      nctId: 'NCT99000001',
      title: 'Adagrasib ABC in KRAS G12C-mutant solid tumours',
      phase: 'PHASE1/PHASE2',
      status: 'NOT_YET_RECRUITING',
      conditions: ['Lung Cancer ABC'],
      minimumAge: '18 Years',
      minimumAgeYears: 18,
      sourceUrl: 'https://clinicaltrials.gov/study/NCT99000001',
      maximumAge: null,
      sex: 'ALL',
      genomicCriteria: ['KRASABC p.G12C'],
      excludedVariants: [{ gene: 'EGFRABC', proteinChange: 'p.L858R', mention: 'EGFRABC L858R' }],
      drugs: [],
      knownDrugs: [
        { id: 'name:adagrasib abc', name: 'Adagrasib ABC', lower: 'adagrasib abc' },
        { id: 'name:tumour biopsy', name: 'Tumour biopsy', lower: 'tumour biopsy' },
      ],
      sites: [
        { facility: null, city: null, state: null, country: 'Germany', status: null, latitude: null, longitude: null },
        { facility: null, city: null, state: null, country: 'Japan', status: null, latitude: null, longitude: null },
      ],
    });
    expect(JSON.parse((row as { labCriteria: string }).labCriteria)).toEqual([expect.objectContaining({ loinc: '718-7', comparator: '>=', value: 9, section: 'inclusion' })]);
  });

  it('skips a record without an NCT id or with a malformed one, with the code the v2 reader gives', () => {
    const { nct_id: _, ...noId } = snapshotRecord('NCT99000001', 'ABC');
    expect(snapshotTrialRow(noId)).toEqual({ skip: 'no nct_id', code: 'MISSING_FIELD' });
    expect(snapshotTrialRow(snapshotRecord('NCT123', 'ABC'))).toEqual({ skip: 'nctId "NCT123" is not NCT followed by 8 digits', code: 'INVALID_NCT_ID' });
  });
});
