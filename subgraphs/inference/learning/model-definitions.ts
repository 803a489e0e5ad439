import { CODE_SYSTEMS } from '../../../lib/contracts/reference/code-systems';
import type { OutcomeDefinition } from './features';
import { FIRST_EVENT_POPULATION, type RiskModelPopulation } from './population';

/**
 * The models the hub trains on its own outcomes. An outcome is a condition with one of these codes
 * (SNOMED CT; ICD-10-CM for records coded that way) with onset within `years` after the index date.
 */
export interface RiskModelDefinition {
  name: string;
  description: string;
  outcome: OutcomeDefinition;
  /** Train again once this many new outcomes have been recorded since the promoted version. */
  retrainAfterOutcomes: number;
  /**
   * Who the model is for (learning/population.ts): patients outside it are left out of training and get no
   * prediction, only the reason. Null: every patient with the data.
   */
  population: RiskModelPopulation | null;
}

const SNOMED = CODE_SYSTEMS.snomed;
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

export const RISK_MODEL_DEFINITIONS: Record<string, RiskModelDefinition> = {
  'ascvd-5y': {
    name: 'ascvd-5y',
    description: 'First atherosclerotic cardiovascular event (myocardial infarction or stroke) within 5 years',
    outcome: {
      name: 'ASCVD event',
      years: 5,
      codes: [
        { system: SNOMED, code: '22298006' }, // Myocardial infarction
        { system: SNOMED, code: '230690007' }, // Cerebrovascular accident
        { system: ICD10CM, code: 'I21.9' }, // Acute myocardial infarction, unspecified
        { system: ICD10CM, code: 'I63.9' }, // Cerebral infarction, unspecified
      ],
    },
    retrainAfterOutcomes: 50,
    // A first event: patients with established ASCVD (any MI, CHD, stroke/TIA, PAD, revascularisation) are
    // secondary prevention, outside its population, as for PCE and PREVENT.
    population: FIRST_EVENT_POPULATION,
  },
  'type2-diabetes-5y': {
    name: 'type2-diabetes-5y',
    description: 'Type 2 diabetes diagnosed within 5 years',
    outcome: {
      name: 'Type 2 diabetes',
      years: 5,
      codes: [
        { system: SNOMED, code: '44054006' }, // Diabetes mellitus type 2
        { system: ICD10CM, code: 'E11.9' }, // Type 2 diabetes mellitus without complications
      ],
    },
    retrainAfterOutcomes: 50,
    // Prevalent diabetes is left out by the labeller (`prevalent`); ASCVD does not change who may develop it.
    population: null,
  },
};

export function riskModelDefinition(name: string): RiskModelDefinition | undefined {
  return Object.hasOwn(RISK_MODEL_DEFINITIONS, name) ? RISK_MODEL_DEFINITIONS[name] : undefined;
}
