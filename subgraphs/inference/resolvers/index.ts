import type { PubSub } from 'mercurius';
import { ErrorCode, HubError } from '../../../lib/errors';
import { estimateCardiovascularRisk, type RiskInput } from '../domain/cardiovascular';
import type { PatientRisk } from '../risk-service';
import type DataLoader from 'dataloader';

export interface InferenceContext {
  pubsub: PubSub;
  loaders: { risk: DataLoader<string, PatientRisk | null> };
}

/** Topic per patient; mqemitter treats `/` as a level separator, which uuids never contain. */
export const riskTopic = (patientId: string): string => `risk-updated/${patientId}`;

function validateRiskInput(input: RiskInput): void {
  const positive: (keyof RiskInput)[] = ['age', 'totalCholesterol', 'hdlCholesterol', 'systolicBp', 'bmi', 'egfr'];
  for (const field of positive) {
    const value = input[field];
    if (typeof value === 'number' && !(Number.isFinite(value) && value > 0)) {
      throw new HubError(ErrorCode.INVALID_RISK_INPUT, `input.${field}: ${value} must be a positive number`, { field });
    }
  }
}

const Query = {
  cardiovascularRisk(_: unknown, args: { input: RiskInput }) {
    validateRiskInput(args.input);
    return estimateCardiovascularRisk(args.input);
  },
};

const Patient = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  async risk(patient: { id: string }, _: unknown, ctx: InferenceContext) {
    const risk = await ctx.loaders.risk.load(patient.id);
    if (!risk) throw new HubError(ErrorCode.PATIENT_NOT_FOUND, `Patient "${patient.id}" not found`, { field: 'id' });
    return risk;
  },
};

const Subscription = {
  riskUpdated: {
    subscribe: (_: unknown, args: { patientId: string }, ctx: InferenceContext) => ctx.pubsub.subscribe(riskTopic(args.patientId)),
  },
};

export const resolvers = { Query, Patient, Subscription };
