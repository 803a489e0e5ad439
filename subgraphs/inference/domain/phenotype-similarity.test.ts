import { HubError } from '../../../lib/errors';
import {
  bestMatchAverage,
  buildPhenotypeIndex,
  PhenotypeIndexError,
  termSimilarity,
  unknownPhenotypes,
  type DiseaseAnnotation,
  type OntologyTerm,
  type PhenotypeIndex,
} from './phenotype-similarity';
import { rankRareDiseases, rareDiseaseOrder, type RankOptions } from './rare-disease-ranking';

/*
 * A small extract of HPO (real ids and names, structure simplified). Cortical visual impairment has two
 * parents, so the ontology is a DAG rather than a tree. HP:0000001 (All) is left out: parents missing from
 * the list are ignored, which also makes the inheritance terms a second, disconnected component.
 *
 * HP:0000118 Phenotypic abnormality
 * ├─ HP:0000707 Abnormality of the nervous system
 * │  ├─ HP:0001250 Seizure
 * │  │  ├─ HP:0007359 Focal-onset seizure
 * │  │  └─ HP:0002069 Bilateral tonic-clonic seizure
 * │  ├─ HP:0001249 Intellectual disability
 * │  ├─ HP:0001252 Hypotonia                          (no disease annotated)
 * │  └─ HP:0100704 Cortical visual impairment         (also under Visual impairment)
 * ├─ HP:0000478 Abnormality of the eye
 * │  ├─ HP:0000505 Visual impairment
 * │  │  └─ HP:0100704 Cortical visual impairment
 * │  └─ HP:0000486 Strabismus
 * └─ HP:0001626 Abnormality of the cardiovascular system
 *    └─ HP:0001631 Atrial septal defect
 * HP:0000005 Mode of inheritance                      (no disease annotated)
 * └─ HP:0000007 Autosomal recessive inheritance       (no disease annotated)
 */
const ROOT = 'HP:0000118';
const NERVOUS = 'HP:0000707';
const SEIZURE = 'HP:0001250';
const FOCAL = 'HP:0007359';
const TONIC_CLONIC = 'HP:0002069';
const ID = 'HP:0001249';
const HYPOTONIA = 'HP:0001252';
const CVI = 'HP:0100704';
const EYE = 'HP:0000478';
const VISUAL = 'HP:0000505';
const STRABISMUS = 'HP:0000486';
const CARDIO = 'HP:0001626';
const ASD = 'HP:0001631';
const INHERITANCE = 'HP:0000005';
const RECESSIVE = 'HP:0000007';

const terms: OntologyTerm[] = [
  { id: ROOT, name: 'Phenotypic abnormality', parents: ['HP:0000001'] },
  { id: NERVOUS, name: 'Abnormality of the nervous system', parents: [ROOT] },
  { id: SEIZURE, name: 'Seizure', parents: [NERVOUS] },
  { id: FOCAL, name: 'Focal-onset seizure', parents: [SEIZURE] },
  { id: TONIC_CLONIC, name: 'Bilateral tonic-clonic seizure', parents: [SEIZURE] },
  { id: ID, name: 'Intellectual disability', parents: [NERVOUS] },
  { id: HYPOTONIA, name: 'Hypotonia', parents: [NERVOUS] },
  { id: CVI, name: 'Cortical visual impairment', parents: [VISUAL, NERVOUS] },
  { id: EYE, name: 'Abnormality of the eye', parents: [ROOT] },
  { id: VISUAL, name: 'Visual impairment', parents: [EYE] },
  { id: STRABISMUS, name: 'Strabismus', parents: [EYE] },
  { id: CARDIO, name: 'Abnormality of the cardiovascular system', parents: [ROOT] },
  { id: ASD, name: 'Atrial septal defect', parents: [CARDIO] },
  { id: INHERITANCE, name: 'Mode of inheritance', parents: ['HP:0000001'] },
  { id: RECESSIVE, name: 'Autosomal recessive inheritance', parents: [INHERITANCE] },
];

// Four made-up diseases, so IC(t) = ln(4 / k) for a term with k annotated diseases at or below it.
const diseases: DiseaseAnnotation[] = [
  { id: 'TEST:A', name: 'Disease A', phenotypes: [FOCAL, ID], genes: ['SCN1A'] },
  { id: 'TEST:B', name: 'Disease B', phenotypes: [TONIC_CLONIC, STRABISMUS], genes: ['GENEB'] },
  { id: 'TEST:C', name: 'Disease C', phenotypes: [VISUAL, ASD], genes: [] },
  { id: 'TEST:D', name: 'Disease D', phenotypes: [CVI, ID, 'HP:9999998'], genes: ['GENED'] },
];

const index = buildPhenotypeIndex(terms, diseases);
const ref = (id: string) => ({ id, name: terms.find((t) => t.id === id)!.name });

// a = ln 2 (k = 2), b = ln(4/3) (k = 3), c = ln 4 (k = 1, also the cap for unannotated terms).
const a = Math.log(2);
const b = Math.log(4 / 3);
const c = Math.log(4);

// Patient: focal-onset seizures and visual impairment.
const patient = [FOCAL, VISUAL];

describe('buildPhenotypeIndex', () => {
  it('gives each term the information content of its annotation frequency', () => {
    const ic = Object.fromEntries([...index.terms.values()].map((t) => [t.id, t.informationContent]));
    expect(ic[ROOT]).toBe(0); // A, B, C, D
    expect(ic[NERVOUS]).toBeCloseTo(b, 12); // A (focal, ID), B (tonic-clonic), D (CVI, ID)
    expect(ic[EYE]).toBeCloseTo(b, 12); // B (strabismus), C (visual), D (CVI)
    expect(ic[SEIZURE]).toBeCloseTo(a, 12); // A, B
    expect(ic[ID]).toBeCloseTo(a, 12); // A, D
    expect(ic[VISUAL]).toBeCloseTo(a, 12); // C, D
    for (const id of [FOCAL, TONIC_CLONIC, CVI, STRABISMUS, CARDIO, ASD]) expect(ic[id]).toBeCloseTo(c, 12); // one disease each
  });

  it('gives terms with no annotated disease below them the maximum, ln N', () => {
    expect(index.maxInformationContent).toBeCloseTo(c, 12);
    for (const id of [HYPOTONIA, INHERITANCE, RECESSIVE]) {
      expect(index.terms.get(id)).toMatchObject({ diseaseCount: 0, informationContent: index.maxInformationContent });
    }
  });

  it('collects ancestors through every parent and ignores parents missing from the ontology', () => {
    expect([...index.terms.get(CVI)!.ancestors].sort()).toEqual([ROOT, VISUAL, EYE, NERVOUS, CVI].sort());
    expect([...index.terms.get(ROOT)!.ancestors]).toEqual([ROOT]);
  });

  it('reports disease annotations to terms missing from the ontology', () => {
    expect(index.unknownAnnotations).toEqual([{ diseaseId: 'TEST:D', phenotypeId: 'HP:9999998' }]);
    expect(index.diseases.find((d) => d.id === 'TEST:D')!.phenotypes).toEqual([CVI, ID]);
  });

  it('leaves out diseases with no phenotype in the ontology when counting and ranking', () => {
    const withEmpty = buildPhenotypeIndex(terms, [...diseases, { id: 'TEST:E', name: 'Disease E', phenotypes: ['HP:9999997'], genes: [] }]);
    expect(withEmpty.diseases.map((d) => d.id)).toEqual(['TEST:A', 'TEST:B', 'TEST:C', 'TEST:D']);
    expect(withEmpty.terms.get(ROOT)!.informationContent).toBe(0);
  });

  it('rejects an is-a cycle and names the terms in it', () => {
    const cyclic = [
      { id: 'HP:1', name: 'one', parents: ['HP:3'] },
      { id: 'HP:2', name: 'two', parents: ['HP:1'] },
      { id: 'HP:3', name: 'three', parents: ['HP:2'] },
    ];
    expect(() => buildPhenotypeIndex(cyclic, [])).toThrow(
      expect.objectContaining({ name: PhenotypeIndexError.name, message: 'HPO term HP:1: is-a cycle HP:1 → HP:3 → HP:2 → HP:1' }),
    );
  });

  it('rejects a term or a disease listed twice', () => {
    expect(() => buildPhenotypeIndex([...terms, terms[2]!], diseases)).toThrow(
      expect.objectContaining({ name: PhenotypeIndexError.name, message: `HPO term ${SEIZURE}: listed twice` }),
    );
    expect(() => buildPhenotypeIndex(terms, [...diseases, diseases[0]!])).toThrow(
      expect.objectContaining({ name: PhenotypeIndexError.name, message: 'disease TEST:A: listed twice' }),
    );
  });
});

describe('termSimilarity', () => {
  it('takes the most informative common ancestor', () => {
    // Focal-onset and tonic-clonic share Seizure (ln 2), Nervous system (ln 4/3) and the root (0).
    expect(termSimilarity(index, FOCAL, TONIC_CLONIC)).toEqual({ informationContent: a, commonAncestor: ref(SEIZURE) });
    // Cortical visual impairment reaches both Visual impairment (ln 2) and Nervous system (ln 4/3).
    expect(termSimilarity(index, CVI, VISUAL)).toEqual({ informationContent: a, commonAncestor: ref(VISUAL) });
    expect(termSimilarity(index, CVI, ID)).toEqual({ informationContent: b, commonAncestor: ref(NERVOUS) });
    expect(termSimilarity(index, FOCAL, ASD)).toEqual({ informationContent: 0, commonAncestor: ref(ROOT) });
  });

  it('is the term’s own IC for a term with itself and symmetric in its arguments', () => {
    expect(termSimilarity(index, FOCAL, FOCAL)).toEqual({ informationContent: c, commonAncestor: ref(FOCAL) });
    expect(termSimilarity(index, ID, CVI)).toEqual(termSimilarity(index, CVI, ID));
  });

  it('is 0 with no common ancestor when the terms are in disconnected parts of the ontology', () => {
    expect(termSimilarity(index, FOCAL, RECESSIVE)).toEqual({ informationContent: 0, commonAncestor: null });
  });

  it('throws BAD_USER_INPUT for a term not in the ontology', () => {
    expect(() => termSimilarity(index, FOCAL, 'HP:9999999')).toThrow(HubError);
    expect(() => termSimilarity(index, FOCAL, 'HP:9999999')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('bestMatchAverage', () => {
  it('computes the symmetric and the one-sided best-match averages', () => {
    // Patient {Focal, Visual} vs Disease A {Focal, ID}:
    //   Focal→ max(Focal c, ID via Nervous b) = c;  Visual→ max(root 0, root 0) = 0;  patient→disease = c/2 = a
    //   Focal→ max(c, 0) = c;  ID→ max(Nervous b, 0) = b;                               disease→patient = (c + b)/2
    //   symmetric = (a + (2a + b)/2)/2 = a + b/4
    const result = bestMatchAverage(index, patient, [FOCAL, ID]);
    expect(Math.abs(result.patientToDisease - a)).toBeLessThan(1e-9);
    expect(Math.abs(result.diseaseToPatient - (c + b) / 2)).toBeLessThan(1e-9);
    expect(Math.abs(result.symmetric - (a + b / 4))).toBeLessThan(1e-9);
  });

  it('throws BAD_USER_INPUT for an empty set or an unknown term', () => {
    expect(() => bestMatchAverage(index, [], [FOCAL])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => bestMatchAverage(index, ['HP:9999999'], [FOCAL])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'phenotypes: HP:9999999 not in the ontology' }),
    );
  });
});

describe('rankRareDiseases with similarity scoring', () => {
  // These tests hold the symmetric-BMA ranking (scoring: 'similarity'); the default, likelihood ratios, is tested in
  // rare-disease-likelihood-ranking.test.ts and phenotype-likelihood.test.ts.
  const rankBySimilarity = (i: PhenotypeIndex, ids: string[], options: RankOptions = {}) => rankRareDiseases(i, ids, { scoring: 'similarity', ...options });
  const orderBySimilarity = (i: PhenotypeIndex, ids: string[], options: RankOptions = {}) => rareDiseaseOrder(i, ids, { scoring: 'similarity', ...options });

  // Symmetric BMA for patient {Focal, Visual}, computed by hand:
  //   A {Focal, ID}:  patient→A = (c + 0)/2 = a;        A→patient = (c + b)/2;  BMA = a + b/4     ≈ 0.7650
  //   B {TC, Strab}:  Focal→TC via Seizure a, Visual→Strab via Eye b: (a + b)/2;
  //                   TC→Focal a, Strab→Visual b: (a + b)/2;                    BMA = (a + b)/2   ≈ 0.4904
  //   C {Visual, ASD}: Focal→0, Visual→Visual a: a/2;  Visual a, ASD 0: a/2;     BMA = a/2         ≈ 0.3466
  //   D {CVI, ID}:    Focal→CVI or ID via Nervous b, Visual→CVI via Visual a: (a + b)/2;
  //                   CVI→Visual a, ID→Focal b: (a + b)/2;                      BMA = (a + b)/2   ≈ 0.4904
  // B and D tie exactly and are ordered by id.
  const expected = { 'TEST:A': a + b / 4, 'TEST:B': (a + b) / 2, 'TEST:C': a / 2, 'TEST:D': (a + b) / 2 };

  it('ranks by symmetric BMA, breaking ties by disease id', () => {
    const { candidates, unknownPhenotypes: unknown } = rankBySimilarity(index, patient);
    expect(unknown).toEqual([]);
    expect(candidates.map((x) => x.disease.id)).toEqual(['TEST:A', 'TEST:B', 'TEST:D', 'TEST:C']);
    for (const candidate of candidates) {
      const value = expected[candidate.disease.id as keyof typeof expected];
      expect(Math.abs(candidate.similarity - value)).toBeLessThan(1e-9);
      expect(candidate.score).toBe(candidate.similarity);
      expect(candidate.geneBoosted).toBe(false);
    }
    expect(candidates[1]!.score).toBe(candidates[2]!.score);
  });

  it('gives the same order and scores without explanations (rareDiseaseOrder, for evaluations)', () => {
    for (const options of [{}, { patientGenes: ['GENEB'] }, { excludedPhenotypes: [ID], negativeFindingPenalty: 0.5 }]) {
      const ranked = rankBySimilarity(index, patient, options).candidates.map((x) => ({ id: x.disease.id, score: x.score }));
      expect(orderBySimilarity(index, patient, options)).toEqual(ranked);
    }
    expect(orderBySimilarity(index, ['HP:9999999'])).toEqual([]);
  });

  it('reports the one-sided patient→disease average beside the ranking score', () => {
    const { candidates } = rankBySimilarity(index, patient);
    const oneSided = Object.fromEntries(candidates.map((x) => [x.disease.id, x.patientToDisease]));
    expect(oneSided['TEST:A']).toBeCloseTo(a, 12);
    expect(oneSided['TEST:B']).toBeCloseTo((a + b) / 2, 12);
    expect(oneSided['TEST:C']).toBeCloseTo(a / 2, 12);
    expect(oneSided['TEST:D']).toBeCloseTo((a + b) / 2, 12);
  });

  it('explains each score by the best match of each patient phenotype, most informative first', () => {
    // Each match also carries its likelihood ratio (values tested in phenotype-likelihood.test.ts).
    const likelihood = { likelihoodRatio: expect.any(Number), likelihoodMatch: expect.any(String) };
    const { candidates } = rankBySimilarity(index, patient);
    expect(candidates[0]).toEqual({
      disease: { id: 'TEST:A', name: 'Disease A' },
      score: candidates[0]!.similarity,
      logLikelihoodRatio: expect.any(Number),
      similarity: candidates[0]!.similarity,
      patientToDisease: candidates[0]!.patientToDisease,
      geneBoosted: false,
      matchedGenes: [],
      inheritance: [],
      genotypeNotes: [],
      matches: [
        { patientPhenotype: ref(FOCAL), diseasePhenotype: ref(FOCAL), commonAncestor: ref(FOCAL), informationContent: c, ...likelihood },
        // Both of A's terms meet Visual impairment only at the root; ID is closer to it (lower IC).
        { patientPhenotype: ref(VISUAL), diseasePhenotype: ref(ID), commonAncestor: ref(ROOT), informationContent: 0, ...likelihood },
      ],
      contradictions: [],
      contradictionLikelihoodRatios: [],
    });
    // Focal-onset seizure meets CVI and ID alike at Nervous system; ID, the less specific, is shown.
    expect(candidates.find((x) => x.disease.id === 'TEST:D')!.matches).toEqual([
      { patientPhenotype: ref(VISUAL), diseasePhenotype: ref(CVI), commonAncestor: ref(VISUAL), informationContent: a, ...likelihood },
      { patientPhenotype: ref(FOCAL), diseasePhenotype: ref(ID), commonAncestor: ref(NERVOUS), informationContent: b, ...likelihood },
    ]);
  });

  it('multiplies the score by 1 + geneBoost (0.5 by default) for a variant in a disease gene', () => {
    // D: (a + b)/2 × 1.5 ≈ 0.7356 passes B (0.4904) but not A (0.7650).
    const byDefault = rankBySimilarity(index, patient, { patientGenes: ['GENED', 'OTHER'] }).candidates;
    expect(byDefault.map((x) => x.disease.id)).toEqual(['TEST:A', 'TEST:D', 'TEST:B', 'TEST:C']);
    expect(byDefault[1]).toMatchObject({ geneBoosted: true, matchedGenes: ['GENED'] });
    expect(byDefault[1]!.score).toBeCloseTo(((a + b) / 2) * 1.5, 12);
    expect(byDefault[1]!.similarity).toBeCloseTo((a + b) / 2, 12);

    // × 2 ≈ 0.9808 puts D first.
    const doubled = rankBySimilarity(index, patient, { patientGenes: ['GENED'], geneBoost: 1 }).candidates;
    expect(doubled.map((x) => x.disease.id)).toEqual(['TEST:D', 'TEST:A', 'TEST:B', 'TEST:C']);
  });

  it('does not boost with geneBoost 0 but still names the matched gene', () => {
    const { candidates } = rankBySimilarity(index, patient, { patientGenes: ['GENED'], geneBoost: 0 });
    expect(candidates.map((x) => x.disease.id)).toEqual(['TEST:A', 'TEST:B', 'TEST:D', 'TEST:C']);
    expect(candidates[2]).toMatchObject({ geneBoosted: false, matchedGenes: ['GENED'] });
  });

  it('reports unknown phenotypes and ranks on the known ones', () => {
    const result = rankBySimilarity(index, ['HP:9999999', FOCAL, VISUAL, 'HP:9999999']);
    expect(result.unknownPhenotypes).toEqual(['HP:9999999']);
    expect(result.candidates).toEqual(rankBySimilarity(index, patient).candidates);
    expect(unknownPhenotypes(index, [FOCAL, 'HP:9999999', 'HP:9999999', 'not-an-id'])).toEqual(['HP:9999999', 'not-an-id']);
  });

  it('counts a duplicated patient phenotype once', () => {
    expect(rankBySimilarity(index, [FOCAL, VISUAL, FOCAL, VISUAL])).toEqual(rankBySimilarity(index, patient));
  });

  it('keeps a patient phenotype that is an ancestor of another one', () => {
    // Adding Seizure changes the means: it is a recorded observation, not pruned.
    const withAncestor = rankBySimilarity(index, [...patient, SEIZURE]).candidates.find((x) => x.disease.id === 'TEST:A')!;
    expect(withAncestor.matches.map((m) => m.patientPhenotype.id)).toEqual([FOCAL, SEIZURE, VISUAL]);
    // patient→A = (c + a + 0)/3; A→patient = (c + b)/2
    expect(withAncestor.similarity).toBeCloseTo(((c + a) / 3 + (c + b) / 2) / 2, 12);
  });

  it('returns no candidates when no patient phenotype is in the ontology', () => {
    expect(rankBySimilarity(index, [])).toEqual({ candidates: [], unknownPhenotypes: [] });
    expect(rankBySimilarity(index, ['HP:9999999'])).toEqual({ candidates: [], unknownPhenotypes: ['HP:9999999'] });
  });

  it('returns at most limit candidates', () => {
    expect(rankBySimilarity(index, patient, { limit: 2 }).candidates.map((x) => x.disease.id)).toEqual(['TEST:A', 'TEST:B']);
  });

  it('names the negative findings each disease shows (the term or a descendant) without changing the score by default', () => {
    // Seizure and Abnormality of the eye are ancestors of the patient's own terms, HP:9999999 is not in the
    // ontology: all three are ignored. ID is annotated to A and D, Strabismus to B, ASD (under Cardiovascular) to C.
    const excludedPhenotypes = [STRABISMUS, ID, SEIZURE, EYE, 'HP:9999999', CARDIO];
    const { candidates } = rankBySimilarity(index, patient, { excludedPhenotypes });
    expect(candidates.map((x) => [x.disease.id, x.contradictions.map((t) => t.id)])).toEqual([
      ['TEST:A', [ID]],
      ['TEST:B', [STRABISMUS]],
      ['TEST:D', [ID]],
      ['TEST:C', [CARDIO]],
    ]);
    expect(candidates.map((x) => x.score)).toEqual(rankBySimilarity(index, patient).candidates.map((x) => x.score));
    expect(candidates[0]!.contradictions).toEqual([ref(ID)]);
  });

  it('multiplies the score by 1 − negativeFindingPenalty for each negative finding the disease shows', () => {
    const { candidates } = rankBySimilarity(index, patient, { excludedPhenotypes: [ID, CARDIO, 'HP:9999999'], negativeFindingPenalty: 0.5 });
    // B (a + b)/2 ≈ 0.4904 untouched; A ≈ 0.7650 / 2; D ≈ 0.4904 / 2; C ≈ 0.3466 / 2.
    expect(candidates.map((x) => x.disease.id)).toEqual(['TEST:B', 'TEST:A', 'TEST:D', 'TEST:C']);
    expect(candidates[1]!.score).toBeCloseTo((a + b / 4) * 0.5, 12);
    expect(candidates[1]!.similarity).toBeCloseTo(a + b / 4, 12);
    expect(() => rankBySimilarity(index, patient, { negativeFindingPenalty: 1.5 })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'negativeFindingPenalty: 1.5 is not a number from 0 to 1' }),
    );
  });

  it('rejects a negative geneBoost and a limit below 1 with BAD_USER_INPUT', () => {
    expect(() => rankBySimilarity(index, patient, { geneBoost: -1 })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'geneBoost: -1 is not a finite number ≥ 0' }),
    );
    expect(() => rankBySimilarity(index, patient, { limit: 0 })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'limit: 0 is not a whole number ≥ 1' }),
    );
  });

  it('ranks 1,000 diseases over a 5,000-term ontology', () => {
    // Deterministic pseudo-random numbers (a linear congruential generator), so the test is repeatable.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const termCount = 5000;
    const id = (i: number) => `HP:${String(i).padStart(7, '0')}`;
    const bigTerms: OntologyTerm[] = [{ id: id(0), name: 'root', parents: [] }];
    for (let i = 1; i < termCount; i++) {
      const parents = [id(Math.floor((i - 1) / 4))];
      if (i > 10 && random(5) === 0) parents.push(id(random(i)));
      bigTerms.push({ id: id(i), name: `term ${i}`, parents });
    }
    const bigDiseases: DiseaseAnnotation[] = [];
    for (let d = 0; d < 1000; d++) {
      const phenotypes = Array.from({ length: 5 + random(26) }, () => id(1 + random(termCount - 1)));
      bigDiseases.push({ id: `TEST:${String(d).padStart(4, '0')}`, name: `disease ${d}`, phenotypes, genes: [`GENE${random(300)}`] });
    }
    const bigIndex = buildPhenotypeIndex(bigTerms, bigDiseases);
    const patientTerms = bigDiseases[7]!.phenotypes.slice(0, 4).concat(Array.from({ length: 6 }, () => id(1 + random(termCount - 1))));

    const { candidates } = rankRareDiseases(bigIndex, patientTerms, { patientGenes: ['GENE1', 'GENE2'], limit: 50 });

    expect(candidates).toHaveLength(50);
    for (let i = 1; i < candidates.length; i++) expect(candidates[i - 1]!.score).toBeGreaterThanOrEqual(candidates[i]!.score);
    expect(candidates[0]!.matches).toHaveLength(new Set(patientTerms).size);
  });
});
