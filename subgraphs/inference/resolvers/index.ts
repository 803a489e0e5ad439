import { withFilter } from 'mercurius';
import { ErrorCode, HubError } from '../../../lib/errors';
import { isHubId } from '../../../lib/ids';
import { estimateCardiovascularRisk, type RiskInput } from '../domain/cardiovascular';
import { matchesCohortFilter, type CohortFilterFacts, type CohortRiskFilter } from '../domain/deidentify';
import { implausibility, type PlausibilityField } from '../domain/plausibility';
import { COHORT_RISK_TOPIC, findingsTopic, riskTopic, type InferenceContext } from './context';
import { Patient, PatientRisk } from './Patient';
import { riskModelQueries } from './RiskModel';
import { cohortRiskDistribution } from './cohort-risk';
import { EventDeadLetter, eventDeadLetterMutations, eventDeadLetterQueries } from './EventDeadLetter';

export { riskTopic, findingsTopic, COHORT_RISK_TOPIC, type InferenceContext } from './context';

function validateRiskInput(input: RiskInput): void {
  const measured: PlausibilityField[] = ['age', 'totalCholesterol', 'hdlCholesterol', 'systolicBp', 'bmi', 'egfr'];
  for (const field of measured) {
    const value = input[field];
    if (typeof value !== 'number') continue;
    if (!(Number.isFinite(value) && value > 0)) {
      throw new HubError(ErrorCode.INVALID_RISK_INPUT, `input.${field}: ${value} must be a positive number`, { field });
    }
    const reason = implausibility(field, value);
    if (reason) throw new HubError(ErrorCode.INVALID_RISK_INPUT, `input.${field}: ${reason}`, { field });
  }
}

const MAX_SEARCH_RESULTS = 100;

const Query = {
  ...riskModelQueries,
  ...eventDeadLetterQueries,
  cardiovascularRisk(_: unknown, args: { input: RiskInput }) {
    validateRiskInput(args.input);
    return estimateCardiovascularRisk(args.input);
  },
  cohortRiskDistribution,
  async searchNotes(_: unknown, args: { query: string; patientIds?: string[] | null; cohort?: Record<string, unknown> | null; first: number }, ctx: InferenceContext) {
    const query = args.query.trim();
    if (query.length < 3 || query.length > 500) throw new HubError(ErrorCode.BAD_USER_INPUT, 'query: give 3 to 500 characters', { field: 'query' });
    if (args.first < 1 || args.first > MAX_SEARCH_RESULTS) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${args.first} is outside 1..${MAX_SEARCH_RESULTS}`, { field: 'first' });
    }
    const malformed = args.patientIds?.filter((id) => !isHubId(id)) ?? [];
    if (malformed.length) throw new HubError(ErrorCode.BAD_USER_INPUT, `patientIds: ${malformed.join(', ')} ${malformed.length > 1 ? 'are not hub ids' : 'is not a hub id'}`, { field: 'patientIds' });
    let within = args.patientIds ?? null;
    if (args.cohort) {
      const members = await ctx.cohortMembers(args.cohort);
      within = within ? within.filter((id) => members.includes(id)) : members;
    }
    // Only patients in the caller's care (all of them for admins): a clinician searching every note
    // would otherwise read other organisations' patients' sentences.
    if (ctx.identity.role !== 'admin' && ctx.identity.role !== 'service') {
      within = await ctx.patientAccess.filter(within ?? (await ctx.cohortMembers({})));
    }
    const hits = await ctx.notes.searchNotes(query, within, args.first);
    for (const hit of hits) ctx.access?.record(hit.patientId, 'Query.searchNotes');
    return hits.map((h) => ({ patient: { id: h.patientId }, noteId: h.noteId, sentence: h.text, span: { start: h.start, end: h.end }, similarity: h.similarity }));
  },
};

/** Subscribing to a patient the hub does not know is an error now, not a silent stream that never speaks. */
async function knownPatient(patientId: string, ctx: InferenceContext): Promise<void> {
  if (!isHubId(patientId) || !(await ctx.patientExists.load(patientId))) {
    throw new HubError(ErrorCode.PATIENT_NOT_FOUND, `Patient "${patientId}" not found`, { field: 'patientId' });
  }
}

function checkCohortFilter(filter: CohortRiskFilter | null | undefined): void {
  for (const field of ['minAge', 'maxAge'] as const) {
    const value = filter?.[field];
    if (value !== null && value !== undefined && (value < 0 || value > 120)) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `filter.${field}: ${value} is outside 0..120`, { field: `filter.${field}` });
    }
  }
  const category = filter?.category?.toUpperCase();
  if (category && !['LOW', 'BORDERLINE', 'INTERMEDIATE', 'HIGH'].includes(category)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `filter.category: "${filter!.category}" is not LOW, BORDERLINE, INTERMEDIATE or HIGH`, { field: 'filter.category' });
  }
}

const Subscription = {
  riskUpdated: {
    async subscribe(_: unknown, args: { patientId: string }, ctx: InferenceContext) {
      await knownPatient(args.patientId, ctx);
      return ctx.pubsub.subscribe(riskTopic(args.patientId));
    },
  },
  findingsUpdated: {
    async subscribe(_: unknown, args: { patientId: string }, ctx: InferenceContext) {
      await knownPatient(args.patientId, ctx);
      return ctx.pubsub.subscribe(findingsTopic(args.patientId));
    },
  },
  cohortRiskUpdated: {
    subscribe: withFilter(
      (_: unknown, args: { filter?: CohortRiskFilter | null }, ctx: InferenceContext) => {
        checkCohortFilter(args.filter);
        return ctx.pubsub.subscribe(COHORT_RISK_TOPIC);
      },
      (payload: { facts: CohortFilterFacts }, args: { filter?: CohortRiskFilter | null }) => matchesCohortFilter(payload.facts, args.filter),
    ),
  },
};

export const resolvers = { Query, Mutation: eventDeadLetterMutations, Patient, PatientRisk, Subscription, EventDeadLetter };
