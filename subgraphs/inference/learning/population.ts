/**
 * Who a learned model is for, applied where it is trained and where it answers (issue 17).
 *
 * A model of *first* cardiovascular events (ascvd-5y) has the population of the Pooled Cohort Equations and
 * PREVENT: adults without established ASCVD (2019 ACC/AHA primary prevention guideline, Arnett DK et al.,
 * Circulation 2019;140:e596; PREVENT, Khan SS et al., Circulation 2024;149:430). Two things follow:
 * - Training: a patient who already had an ASCVD event, revascularisation or diagnosis on the index date is
 *   not an example of the first-event risk the model predicts. Kept in, such patients teach the model the
 *   (much higher) recurrence risk of secondary prevention and bias every first-event estimate upwards, and
 *   their features (statins, antihypertensives started *because* of the event) read as risk factors. They are
 *   left out of the training set, counted as `established-ascvd`, as the labeller already leaves out patients
 *   who had the outcome itself (`prevalent`). A record of ASCVD with no date could precede the index date, so it
 *   leaves the patient out too: the training set holds only patients known to be free of ASCVD then.
 * - Serving: a patient with established ASCVD today gets no prediction from such a model, only the reason and
 *   the record behind it, as PCE and PREVENT do (ascvd-applicability.ts).
 * What counts as established ASCVD is one definition for the equations and the learned models:
 * ascvd-applicability.ts prevalentDiseases (asserted conditions and completed revascularisation procedures).
 */
import { prevalentDiseases, describeDisease, type ConditionRecord, type PrevalentDisease, type ProcedureRecord } from '../domain/ascvd-applicability';

/** A population restriction a model declares; today the one that matters: no established ASCVD. */
export interface RiskModelPopulation {
  /** Patients with this prevalent disease are outside the model's population. */
  excludes: 'ESTABLISHED_ASCVD';
  /** Why, with its source, for the model card and the served reason. */
  rationale: string;
}

export const FIRST_EVENT_POPULATION: RiskModelPopulation = {
  excludes: 'ESTABLISHED_ASCVD',
  rationale:
    'a model of first ASCVD events applies to adults without established ASCVD, as the Pooled Cohort Equations and PREVENT do (2019 ACC/AHA primary prevention guideline)',
};

const onOrBefore = (when: string | null | undefined, index: string) => !when || when.slice(0, 10) <= index;

/**
 * The prevalent disease that puts a patient outside the population, or null. With `indexDate`, only records
 * dated on or before it count, and undated records count (they may precede it); without, every record counts.
 */
export function populationExclusion(
  population: RiskModelPopulation | null | undefined,
  conditions: readonly ConditionRecord[],
  procedures: readonly ProcedureRecord[],
  indexDate?: string,
): PrevalentDisease | null {
  if (!population) return null;
  const datedConditions = indexDate ? conditions.filter((c) => onOrBefore(c.onsetAt ?? c.recordedAt, indexDate)) : conditions;
  const datedProcedures = indexDate ? procedures.filter((p) => onOrBefore(p.performedAt, indexDate)) : procedures;
  return prevalentDiseases(datedConditions, datedProcedures).find((d) => d.kind === population.excludes) ?? null;
}

/** The reason a served learned model gives instead of a prediction. */
export function populationReason(population: RiskModelPopulation, disease: PrevalentDisease): string {
  return `secondary prevention, established ASCVD — ${describeDisease(disease)}; ${population.rationale}`;
}
