import type { PatientContext } from '../context';
import type { CohortDistributions } from '../repository/cohort-repository';
import type { PatientCriteria, Sex } from '../repository/patient-repository';
import { catalogueCode, toPatientCriteria, type PatientFilterArg } from './Query';

/** What Query.cohort hands its fields: the validated filter and, once asked for, the distributions. */
interface CohortSource {
  criteria: PatientCriteria;
  /** count, ageDistribution and sexDistribution come from one statement, run at most once. */
  distributions: () => Promise<CohortDistributions>;
}

interface Bucket {
  key: string;
  count: number;
}

/** The key of patients without a birth date or a recorded sex. */
const NOT_RECORDED = 'NOT_RECORDED';
/** The Sex enum's order, as the schema promises for sexDistribution. */
const SEX_ORDER: readonly Sex[] = ['female', 'male', 'other', 'unknown'];

const sexRank = (sex: Sex | null) => (sex === null ? SEX_ORDER.length : SEX_ORDER.indexOf(sex));

export function cohort(_: unknown, args: { filter?: PatientFilterArg | null }, ctx: PatientContext): CohortSource {
  const criteria = toPatientCriteria(args.filter);
  let distributions: Promise<CohortDistributions> | undefined;
  return { criteria, distributions: () => (distributions ??= ctx.cohorts.distributions(criteria)) };
}

export const CohortSummary = {
  count: async (source: CohortSource) => (await source.distributions()).count,

  async ageDistribution(source: CohortSource): Promise<Bucket[]> {
    const bands = [...(await source.distributions()).ageBands];
    bands.sort((a, b) => (a.bandStart ?? Infinity) - (b.bandStart ?? Infinity));
    return bands.map(({ bandStart, count }) => ({
      key: bandStart === null ? NOT_RECORDED : `${bandStart}-${bandStart + 9}`,
      count,
    }));
  },

  async sexDistribution(source: CohortSource): Promise<Bucket[]> {
    const sexes = [...(await source.distributions()).sexes];
    sexes.sort((a, b) => sexRank(a.sex) - sexRank(b.sex));
    // Keys are the GraphQL Sex enum names, not the stored FHIR codes.
    return sexes.map(({ sex, count }) => ({ key: sex === null ? NOT_RECORDED : sex.toUpperCase(), count }));
  },

  async labPercentiles(source: CohortSource, args: { code: string }, ctx: PatientContext) {
    const { code, unit } = catalogueCode(args.code, 'labPercentiles.code');
    return { code, unit, ...(await ctx.cohorts.labPercentiles(source.criteria, code)) };
  },
};
