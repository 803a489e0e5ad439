import { rankActionableFindings, type FindingEvidence } from './actionable-findings';

const source = { name: 'CIViC', recordId: 'EID1', url: null, version: null };
const ev = (id: string, over: Partial<FindingEvidence>): FindingEvidence => ({
  id, type: 'PREDICTIVE', level: 'B', direction: 'SUPPORTS', significance: 'Sensitivity/Response', response: 'SENSITIVITY', rating: 3,
  disease: { id: 'DOID:1909', name: 'Melanoma' }, drugs: [{ id: '1147220', name: 'vemurafenib' }], citation: 'PMID:1', evidenceFor: 'V600E',
  source: { ...source, recordId: id }, ...over,
});
const BRAF = 'GRCh38:7:140753336:A:T';
const colorectal = [{ code: { system: 'http://snomed.info/sct', code: '363406005', display: 'Malignant tumor of colon' }, clinicalStatus: 'active' }];

describe('actionable findings', () => {
  it("ranks evidence in the patient's own disease first, then by level, sensitivity before resistance", () => {
    const findings = rankActionableFindings(
      [{
        variantId: BRAF, gene: 'BRAF',
        evidence: [
          ev('melanoma-A', { level: 'A' }),
          ev('crc-resistance-B', { level: 'B', response: 'RESISTANCE', disease: { id: 'DOID:9256', name: 'Colorectal Cancer' } }),
          ev('crc-sensitivity-B', { level: 'B', disease: { id: 'DOID:9256', name: 'Colorectal Cancer' }, drugs: [{ id: 'x', name: 'encorafenib' }] }),
          ev('crc-prognostic-C', { level: 'C', type: 'PROGNOSTIC', response: null, disease: { id: 'DOID:9256', name: 'Colorectal Adenocarcinoma' } }),
          ev('not-supported', { level: 'A', direction: 'DOES_NOT_SUPPORT' }),
        ],
      }],
      colorectal,
    );
    expect(findings.map((f) => [f.evidence.id, f.matchedCondition])).toEqual([
      ['crc-sensitivity-B', 'Malignant tumor of colon'],
      ['crc-resistance-B', 'Malignant tumor of colon'],
      ['crc-prognostic-C', 'Malignant tumor of colon'],
      ['melanoma-A', null],
    ]);
  });

  it('filters by evidence type and ignores resolved conditions', () => {
    const evidence = [ev('p', { type: 'PROGNOSTIC', disease: { id: 'DOID:9256', name: 'Colorectal Cancer' } }), ev('d', { type: 'DIAGNOSTIC' })];
    expect(rankActionableFindings([{ variantId: BRAF, gene: 'BRAF', evidence }], colorectal, ['PROGNOSTIC']).map((f) => f.evidence.id)).toEqual(['p']);
    const resolved = [{ ...colorectal[0]!, clinicalStatus: 'resolved' }];
    expect(rankActionableFindings([{ variantId: BRAF, gene: 'BRAF', evidence }], resolved)[0]!.matchedCondition).toBeNull();
  });
});
