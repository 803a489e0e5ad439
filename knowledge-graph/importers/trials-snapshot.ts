/**
 * Flattened ClinicalTrials.gov exports (one trial per JSON object) → the same TrialRow a v2 study gives.
 *
 * The layout is the one of jwlieb/clinical-trial-agent's `trials.json` exports (staged as
 * `trials/clinical-trial-agent-trials.jsonl.xz`, one object per line; docs/knowledge-releases/knowledge-bases.md),
 * which that tool reads from the ClinicalTrials.gov API v2 and flattens:
 * `{nct_id, title, phase: "Phase 1/Phase 2", status: "Recruiting", conditions[], interventions[] (names only),
 *   locations[] (country names), eligibility {raw_text, minimum_age: "18 Years", maximum_age, sex: "ALL"}, …}`.
 *
 * Each record is mapped onto the v2 fields `trialRow` reads (so every check, genomic mention, age and lab
 * criterion is read the same way), with the display values turned back into the v2 enums the rest of the hub
 * holds ("Phase 1/Phase 2" → PHASE1/PHASE2, "Not Applicable" → NA, "Recruiting" → RECRUITING).
 * Interventions carry no type, so none is assumed to be a drug: an intervention links (TESTS_DRUG) only to a
 * Drug the graph already holds under that name (`knownDrugs`); no Drug is created from this layout.
 * Locations are country names: each becomes a TrialSite with its country and no point.
 */
import { drugRef } from './common';
import { ImportRejectCode, skipRecord, type Skip } from './record-checks';
import { trialRow, type TrialRow } from './trials';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((s): s is string => s !== null) : []);

/** "Early Phase 1" → EARLY_PHASE1, "Not Applicable" → NA, "Phase 2" → PHASE2 (ClinicalTrials.gov API v2 Phase enum). */
export function phaseEnums(phase: unknown): string[] {
  const text = str(phase);
  if (!text) return [];
  return text.split('/').map((p) => {
    const t = p.trim().toUpperCase();
    if (t === 'NOT APPLICABLE' || t === 'N/A' || t === 'NA') return 'NA';
    return t.replace(/^EARLY PHASE\s*/, 'EARLY_PHASE').replace(/^PHASE\s*/, 'PHASE');
  });
}

/** "Active, not recruiting" → ACTIVE_NOT_RECRUITING (API v2 Status enum: the display words, upper-case, joined by _). */
export function statusEnum(status: unknown): string | null {
  const text = str(status);
  return text ? text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '') : null;
}

/** Does this object look like a flattened export record (rather than a v2 study)? */
export function isSnapshotRecord(record: unknown): boolean {
  const r = obj(record);
  return 'nct_id' in r && !('protocolSection' in r);
}

/** One flattened record → a TrialRow (interventions in `knownDrugs`), or why it is skipped. */
export function snapshotTrialRow(record: unknown): TrialRow | Skip {
  const r = obj(record);
  if (!str(r.nct_id)) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no nct_id');
  const eligibility = obj(r.eligibility);
  const study = {
    protocolSection: {
      identificationModule: { nctId: r.nct_id, briefTitle: r.title },
      statusModule: { overallStatus: statusEnum(r.status) },
      designModule: { phases: phaseEnums(r.phase) },
      conditionsModule: { conditions: strings(r.conditions), keywords: strings(r.molecular_targets) },
      eligibilityModule: {
        eligibilityCriteria: eligibility.raw_text,
        minimumAge: eligibility.minimum_age,
        maximumAge: eligibility.maximum_age,
        sex: eligibility.sex,
      },
      contactsLocationsModule: { locations: strings(r.locations).map((country) => ({ country })) },
    },
  };
  const row = trialRow(study);
  if ('skip' in row) return row;
  const known = new Map(strings(r.interventions).map((name) => [drugRef(name).id, drugRef(name)]));
  return { ...row, knownDrugs: [...known.values()] };
}
