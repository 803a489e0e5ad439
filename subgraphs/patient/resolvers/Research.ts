import { protectTotal } from '../../../lib/disclosure-control';
import { ErrorCode, HubError } from '../../../lib/errors';
import { MIN_RESEARCH_CELL } from '../../../lib/patient-access';
import type { PatientContext } from '../context';
import { researchCondition, researchObservation, researchProcedure } from '../domain/research-coding';
import { ResearchView } from '../domain/research-view';
import type { PatientRecord } from '../repository/patient-repository';
import { resolvePatientCriteria, type PatientFilterArg } from './Query';

/** Rows per researchCohort page at most. */
export const MAX_RESEARCH_PAGE = 100;

/**
 * Query.researchCohort: consenting patients only, suppressed under 11, de-identified field by field
 * (domain/research-view.ts) and coded (domain/research-coding.ts). The rows carry the hub record only
 * inside this subgraph; every field a client can select is computed from it without an identifier and
 * without text a person typed.
 */
export async function researchCohort(
  _: unknown,
  args: { filter?: PatientFilterArg | null; first?: number | null; after?: string | null },
  ctx: PatientContext,
) {
  const first = args.first ?? MAX_RESEARCH_PAGE;
  if (first < 0 || first > MAX_RESEARCH_PAGE) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${first} is outside 0..${MAX_RESEARCH_PAGE}`, { field: 'first' });
  }
  const afterId = args.after ? ctx.research.decodeCursor(args.after) : null;
  const page = await ctx.repository.listPatients({ ...(await resolvePatientCriteria(args.filter, ctx)), researchConsented: true }, first, afterId);
  // Research rows are research output whoever asks (admins too): the researchers' minimum applies.
  if (protectTotal(page.totalCount, MIN_RESEARCH_CELL) === null) return { totalCount: null, suppressed: true, patients: [], endCursor: null };
  const last = page.patients.at(-1);
  return {
    totalCount: page.totalCount,
    suppressed: false,
    patients: page.patients,
    endCursor: page.hasNextPage && last ? ctx.research.encodeCursor(last.id) : null,
  };
}

export const ResearchPatient = {
  pseudonym: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.research.pseudonym(patient.id),
  ageYears: (patient: PatientRecord) => ResearchView.ageYears(patient.birthDate),
  sex: (patient: PatientRecord) => patient.sex,
  // Codes only (domain/research-coding.ts): records that cannot be shown without typed text are left out.
  async observations(patient: PatientRecord, args: { code?: string | null }, ctx: PatientContext) {
    const observations = await ctx.loaders.observations.load(patient.id);
    return observations
      .filter((o) => !args.code || o.code === args.code)
      .flatMap((o) => {
        const coded = researchObservation(o);
        return coded ? [{ ...coded, shiftedDate: ctx.research.shiftedDate(patient.id, o.effectiveAt) }] : [];
      });
  },
  async conditions(patient: PatientRecord, _: unknown, ctx: PatientContext) {
    return (await ctx.loaders.conditions.load(patient.id)).flatMap((c) => {
      const coded = researchCondition(c);
      return coded ? [{ ...coded, shiftedOnsetDate: ctx.research.shiftedDate(patient.id, c.onsetAt) }] : [];
    });
  },
  async procedures(patient: PatientRecord, _: unknown, ctx: PatientContext) {
    return (await ctx.loaders.procedures.load(patient.id)).flatMap((p) => {
      const coded = researchProcedure(p);
      return coded ? [{ ...coded, shiftedPerformedDate: ctx.research.shiftedDate(patient.id, p.performedAt) }] : [];
    });
  },
};
