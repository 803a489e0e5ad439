/** Internal consistency of the curated seed (no database). */
import { CIVIC_SOURCE, CURATED_EVIDENCE } from './civic-evidence';
import { CPIC_GUIDELINES, CPIC_GUIDELINE_NOTES, CPIC_SOURCE } from './cpic-guidelines';
import { CURATED_DISEASE_GENES, DISEASE_GENES_SOURCE } from './disease-genes';
import { HPO_SOURCE, HPO_TERMS, RARE_DISEASES } from './hpo-rare-diseases';
import { CURATED_TRIALS } from './trials';

const NCT = /^NCT\d{8}$/;
const DOID = /^DOID:\d+$/;
const HP = /^HP:\d{7}$/;
const OMIM = /^OMIM:\d{6}$/;
const PMID = /^\d{1,9}$/;
const COMMIT = /^[0-9a-f]{40}$/;
/** HGNC approved symbol: upper-case letters and digits, "orf" in open-reading-frame names, hyphenated parts (HLA-B, MT-ATP6). */
const HGNC_SYMBOL = /^[A-Z][A-Z0-9]*(?:orf\d+)?(?:-[A-Z0-9]+)*$/;

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

describe('curated seed: sources', () => {
  it('names a commit and a licence for every file-based source', () => {
    expect(CIVIC_SOURCE.commit).toMatch(COMMIT);
    expect(CPIC_SOURCE.commit).toMatch(COMMIT);
    expect(HPO_SOURCE.annotations.commit).toMatch(COMMIT);
    expect(HPO_SOURCE.ontology.commit).toMatch(COMMIT);
    for (const source of [DISEASE_GENES_SOURCE.geneMap, DISEASE_GENES_SOURCE.mim2geneMedgen, DISEASE_GENES_SOURCE.symbols]) {
      expect(source.commit).toMatch(COMMIT);
    }
    for (const licence of [CIVIC_SOURCE.licence, CPIC_SOURCE.licence, HPO_SOURCE.licence, DISEASE_GENES_SOURCE.licence]) {
      expect(licence.length).toBeGreaterThan(0);
    }
  });
});

describe('curated seed: CIViC evidence', () => {
  it('has unique ids that match the CIViC record id', () => {
    expect(duplicates(CURATED_EVIDENCE.map((e) => e.id))).toEqual([]);
    for (const e of CURATED_EVIDENCE) {
      expect(e.sourceRecordId).toMatch(/^EID\d+$/);
      expect(e.id).toBe(`civic:${e.sourceRecordId}`);
      expect(e.sourceUrl).toContain(e.sourceRecordId.slice(3));
    }
  });

  it('uses levels A-E, DOIDs, the predictive vocabulary and cited PMIDs', () => {
    for (const e of CURATED_EVIDENCE) {
      expect(['A', 'B', 'C', 'D', 'E']).toContain(e.level);
      expect(e.disease.id).toMatch(DOID);
      expect(e.type).toBe('PREDICTIVE');
      expect(e.direction).toBe('SUPPORTS');
      expect(['SENSITIVITY', 'RESISTANCE']).toContain(e.response);
      expect(e.drugs.length).toBeGreaterThan(0);
      if (e.drugs.length > 1) expect(e.drugInteractionType).toBeDefined();
      if (e.pmid !== undefined) {
        expect(e.pmid).toMatch(PMID);
        expect(e.citation).toContain(`PMID:${e.pmid}`);
      }
      for (const nct of e.nctIds ?? []) expect(nct).toMatch(NCT);
      if (e.lastReviewed !== undefined) expect(e.lastReviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.variantId).toBeUndefined(); // no GRCh38 id was verified for these records
    }
  });

  it('covers the issue 6 variants', () => {
    const has = (gene: string, variant: RegExp) =>
      CURATED_EVIDENCE.some((e) => e.gene === gene && variant.test(e.variantName));
    expect(has('BRAF', /^V600E$/)).toBe(true);
    expect(has('EGFR', /^L858R$/)).toBe(true);
    expect(has('EGFR', /^T790M$/)).toBe(true);
    expect(has('EGFR', /EXON 19 DELETION/i)).toBe(true);
    expect(has('KRAS', /^G12C$/)).toBe(true);
    expect(has('ALK', /FUSION|EML4/i)).toBe(true);
    expect(has('ROS1', /FUSION|REARRANGEMENT/i)).toBe(true);
    expect(has('BRCA1', /./) || has('BRCA2', /./)).toBe(true);
    expect(has('ERBB2', /AMPLIFICATION/i)).toBe(true);
    expect(CURATED_EVIDENCE.some((e) => e.gene.startsWith('NTRK'))).toBe(true);
    expect(has('IDH1', /^R132/)).toBe(true);
    expect(has('PIK3CA', /^H1047R$/)).toBe(true);
  });
});

describe('curated seed: CPIC guidelines', () => {
  it('has unique ids and well-formed rows', () => {
    expect(duplicates(CPIC_GUIDELINES.map((g) => g.id))).toEqual([]);
    for (const g of CPIC_GUIDELINES) {
      expect(g.drug.rxnormCui).toMatch(/^\d+$/);
      expect(['Strong', 'Moderate', 'Optional', 'No Recommendation']).toContain(g.classification);
      expect(g.recommendation.length).toBeGreaterThan(0);
      expect(g.citations.length).toBeGreaterThan(0);
      for (const c of g.citations) expect(c.pmid).toMatch(PMID);
      for (const gene of Object.keys(g.lookupKey)) expect(g.genes).toContain(gene);
    }
  });

  it('covers the five gene-drug pairs of the issue', () => {
    const pair = (drug: string, gene: string) =>
      CPIC_GUIDELINES.some((g) => g.drug.name === drug && g.genes.includes(gene));
    expect(pair('clopidogrel', 'CYP2C19')).toBe(true);
    expect(pair('simvastatin', 'SLCO1B1')).toBe(true);
    expect(pair('fluorouracil', 'DPYD') && pair('capecitabine', 'DPYD')).toBe(true);
    for (const drug of ['azathioprine', 'mercaptopurine', 'thioguanine']) {
      expect(pair(drug, 'TPMT') && pair(drug, 'NUDT15')).toBe(true);
    }
    // Warfarin has no phenotype table in CPIC (dosing algorithm): kept as a note.
    expect(CPIC_GUIDELINE_NOTES.some((n) => n.drug.name === 'warfarin' && n.genes.includes('VKORC1'))).toBe(true);
  });
});

describe('curated seed: trials', () => {
  it('has unique, well-formed NCT ids with genomic criteria and sources', () => {
    expect(duplicates(CURATED_TRIALS.map((t) => t.nctId))).toEqual([]);
    for (const t of CURATED_TRIALS) {
      expect(t.nctId).toMatch(NCT);
      expect(t.title.length).toBeGreaterThan(0);
      expect(t.phase).toMatch(/^(EARLY_)?PHASE[1-4](\/PHASE[1-4])?$/);
      expect(t.conditions.length).toBeGreaterThan(0);
      expect(t.genomicCriteria.length).toBeGreaterThan(0);
      for (const c of t.genomicCriteria) {
        expect(c.gene).toMatch(/^[A-Z0-9-]+$/);
        expect(c.variant.length).toBeGreaterThan(0);
      }
      expect(t.sources.length).toBeGreaterThan(0);
    }
  });
});

describe('curated seed: HPO rare diseases', () => {
  const terms = new Map(HPO_TERMS.map((t) => [t.id, t]));

  it('has unique, well-formed ids', () => {
    expect(duplicates(RARE_DISEASES.map((d) => d.id))).toEqual([]);
    expect(duplicates(HPO_TERMS.map((t) => t.id))).toEqual([]);
    for (const d of RARE_DISEASES) {
      expect(d.id).toMatch(OMIM);
      expect(d.phenotypes.length).toBeGreaterThan(0);
      expect(duplicates(d.phenotypes.map((p) => p.hpoId))).toEqual([]);
    }
    for (const t of HPO_TERMS) {
      expect(t.id).toMatch(HP);
      for (const parent of t.isA) expect(parent).toMatch(HP);
    }
  });

  it('references only terms in the term list, with their names, and closes is_a', () => {
    for (const d of RARE_DISEASES) {
      for (const p of d.phenotypes) {
        const term = terms.get(p.hpoId);
        expect(term).toBeDefined();
        expect(term?.name).toBe(p.name);
        expect(['IEA', 'PCS', 'TAS', 'ICE']).toContain(p.evidence);
        expect(p.reference.length).toBeGreaterThan(0);
      }
    }
    for (const t of HPO_TERMS) for (const parent of t.isA) expect(terms.has(parent)).toBe(true);
    const roots = HPO_TERMS.filter((t) => t.isA.length === 0).map((t) => t.id);
    expect(roots).toEqual(['HP:0000001']);
  });

  it('annotates phenotypic abnormalities only (descendants of HP:0000118)', () => {
    const underAbnormality = (id: string): boolean => {
      const stack = [id];
      const seen = new Set<string>();
      while (stack.length > 0) {
        const current = stack.pop() as string;
        if (current === 'HP:0000118') return true;
        if (seen.has(current)) continue;
        seen.add(current);
        stack.push(...(terms.get(current)?.isA ?? []));
      }
      return false;
    };
    for (const d of RARE_DISEASES) for (const p of d.phenotypes) expect(underAbnormality(p.hpoId)).toBe(true);
  });
});

describe('curated seed: rare-disease genes', () => {
  it('links only curated rare diseases, once each, to HGNC-style symbols with their OMIM gene entries and a cited source', () => {
    const diseases = new Set(RARE_DISEASES.map((d) => d.id));
    expect(duplicates(CURATED_DISEASE_GENES.map((d) => d.diseaseId))).toEqual([]);
    for (const d of CURATED_DISEASE_GENES) {
      expect(diseases.has(d.diseaseId)).toBe(true);
      expect(d.genes.length).toBeGreaterThan(0);
      expect(duplicates(d.genes)).toEqual([]);
      for (const gene of d.genes) expect(gene).toMatch(HGNC_SYMBOL);
      expect(Object.keys(d.geneEntries).sort()).toEqual([...d.genes].sort());
      for (const entry of Object.values(d.geneEntries)) expect(entry).toMatch(OMIM);
      expect(d.source).toContain(DISEASE_GENES_SOURCE.geneMap.commit);
    }
  });

  it('leaves out only the two diseases the sources give no causal gene for', () => {
    const linked = new Set(CURATED_DISEASE_GENES.map((d) => d.diseaseId));
    expect(RARE_DISEASES.filter((d) => !linked.has(d.id)).map((d) => d.id).sort()).toEqual(['OMIM:176270', 'OMIM:194050']);
    expect(CURATED_DISEASE_GENES.find((d) => d.diseaseId === 'OMIM:154700')?.genes).toEqual(['FBN1']);
  });
});

describe('curated seed: counts', () => {
  it('meets the issue 6 targets and reports the counts', () => {
    const counts = {
      evidence: CURATED_EVIDENCE.length,
      evidenceByLevel: CURATED_EVIDENCE.reduce<Record<string, number>>((acc, e) => {
        acc[e.level] = (acc[e.level] ?? 0) + 1;
        return acc;
      }, {}),
      cpicRows: CPIC_GUIDELINES.length,
      cpicNotes: CPIC_GUIDELINE_NOTES.length,
      trials: CURATED_TRIALS.length,
      rareDiseases: RARE_DISEASES.length,
      phenotypeAnnotations: RARE_DISEASES.reduce((n, d) => n + d.phenotypes.length, 0),
      hpoTerms: HPO_TERMS.length,
    };
    console.log(`curated seed counts: ${JSON.stringify(counts)}`);
    expect(counts.evidence).toBeGreaterThanOrEqual(60);
    expect(counts.trials).toBeGreaterThanOrEqual(40);
    expect(counts.rareDiseases).toBeGreaterThanOrEqual(30);
  });
});

describe('curated seed: cross-links', () => {
  it('links trials only to CIViC evidence items that name them', () => {
    const byId = new Map(CURATED_EVIDENCE.map((e) => [e.sourceRecordId, e]));
    for (const t of CURATED_TRIALS) {
      for (const eid of t.civicEvidenceIds ?? []) {
        expect(eid).toMatch(/^EID\d+$/);
        const e = byId.get(eid);
        // Evidence outside the curated selection is allowed; when it is in, it must name the trial.
        if (e !== undefined) expect(e.nctIds ?? []).toContain(t.nctId);
      }
    }
  });
});
