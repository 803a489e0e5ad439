import type { PatientContext } from '../context';
import { MIN_RESEARCH_CELL, organisationScope } from '../../../lib/patient-access';
import type { CohortDistributions } from '../repository/cohort-repository';
import type { PatientCriteria, Sex } from '../repository/patient-repository';
import { catalogueCode, resolvePatientCriteria, type PatientFilterArg } from './Query';

/** What Query.cohort hands its fields: the validated filter and, once asked for, the distributions. */
interface CohortSource {
  criteria: PatientCriteria;
  /** Cells (the cohort, a bucket, a percentile's n) under this many patients are not shown (0: none). */
  minCell: number;
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

export async function cohort(_: unknown, args: { filter?: PatientFilterArg | null }, ctx: PatientContext): Promise<CohortSource> {
  const researcher = ctx.identity.role === 'researcher';
  const criteria: PatientCriteria = {
    ...(await resolvePatientCriteria(args.filter, ctx)),
    ...(researcher ? { researchConsented: true } : { organization: organisationScope(ctx.identity) }),
  };
  let distributions: Promise<CohortDistributions> | undefined;
  return { criteria, minCell: researcher ? MIN_RESEARCH_CELL : 0, distributions: () => (distributions ??= ctx.cohorts.distributions(criteria)) };
}

const shown = (source: CohortSource, count: number) => count >= source.minCell;

export const CohortSummary = {
  async count(source: CohortSource) {
    const { count } = await source.distributions();
    return shown(source, count) ? count : null;
  },

  suppressed: async (source: CohortSource) => !shown(source, (await source.distributions()).count),

  async ageDistribution(source: CohortSource): Promise<Bucket[]> {
    const bands = [...(await source.distributions()).ageBands];
    bands.sort((a, b) => (a.bandStart ?? Infinity) - (b.bandStart ?? Infinity));
    if (!shown(source, (await source.distributions()).count)) return [];
    return bands.filter((band) => shown(source, band.count)).map(({ bandStart, count }) => ({
      key: bandStart === null ? NOT_RECORDED : `${bandStart}-${bandStart + 9}`,
      count,
    }));
  },

  async sexDistribution(source: CohortSource): Promise<Bucket[]> {
    const sexes = [...(await source.distributions()).sexes];
    sexes.sort((a, b) => sexRank(a.sex) - sexRank(b.sex));
    if (!shown(source, (await source.distributions()).count)) return [];
    // Keys are the GraphQL Sex enum names, not the stored FHIR codes.
    return sexes.filter(({ count }) => shown(source, count)).map(({ sex, count }) => ({ key: sex === null ? NOT_RECORDED : sex.toUpperCase(), count }));
  },

  async labPercentiles(source: CohortSource, args: { code: string }, ctx: PatientContext) {
    const { code, unit } = catalogueCode(args.code, 'labPercentiles.code');
    const percentiles = await ctx.cohorts.labPercentiles(source.criteria, code);
    return shown(source, percentiles.n) ? { code, unit, ...percentiles } : null;
  },
};
