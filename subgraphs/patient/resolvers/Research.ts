import { ErrorCode, HubError } from '../../../lib/errors';
import { MIN_RESEARCH_CELL } from '../../../lib/patient-access';
import type { PatientContext } from '../context';
import { ResearchView } from '../domain/research-view';
import type { PatientRecord } from '../repository/patient-repository';
import { resolvePatientCriteria, type PatientFilterArg } from './Query';

/** Rows per researchCohort page at most. */
export const MAX_RESEARCH_PAGE = 100;

/**
 * Query.researchCohort: consenting patients only, suppressed under 11, de-identified field by field
 * (domain/research-view.ts). The rows carry the hub record only inside this subgraph; every field a
 * client can select is computed from it without an identifier.
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
  if (page.totalCount < MIN_RESEARCH_CELL) return { totalCount: null, suppressed: true, patients: [], endCursor: null };
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
  async observations(patient: PatientRecord, args: { code?: string | null }, ctx: PatientContext) {
    const observations = await ctx.loaders.observations.load(patient.id);
    return observations
      .filter((o) => !args.code || o.code === args.code)
      .map((o) => ({ code: o.code, display: o.display, value: o.value, unit: o.unit, shiftedDate: ctx.research.shiftedDate(patient.id, o.effectiveAt) }));
  },
  async conditions(patient: PatientRecord, _: unknown, ctx: PatientContext) {
    return (await ctx.loaders.conditions.load(patient.id)).map((c) => ({
      code: c.code,
      clinicalStatus: c.clinicalStatus,
      shiftedOnsetDate: ctx.research.shiftedDate(patient.id, c.onsetAt),
    }));
  },
};
