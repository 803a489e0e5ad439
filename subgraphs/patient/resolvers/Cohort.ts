import type { PatientContext } from '../context';
import { minimumCellFor, protectDimension, protectTotal } from '../../../lib/disclosure-control';
import { organisationScope } from '../../../lib/patient-access';
import type { CohortDistributions } from '../repository/cohort-repository';
import type { PatientCriteria, Sex } from '../repository/patient-repository';
import { catalogueCode, resolvePatientCriteria, type PatientFilterArg } from './Query';

/** What Query.cohort hands its fields: the validated filter and, once asked for, the distributions. */
interface CohortSource {
  criteria: PatientCriteria;
  /** The smallest count this caller may see (lib/disclosure-control.ts minimumCellFor; 0: every count). */
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
  return { criteria, minCell: minimumCellFor(ctx.identity), distributions: () => (distributions ??= ctx.cohorts.distributions(criteria)) };
}

/** The cohort's count as this caller may see it; null when suppressed. */
const shownCount = async (source: CohortSource) => protectTotal((await source.distributions()).count, source.minCell);

/**
 * The buckets of one distribution (a dimension of the cohort's count) that this caller may see:
 * none when the count is suppressed; otherwise small cells and their complements left out
 * (lib/disclosure-control.ts), as are empty ones.
 */
async function shownBuckets(source: CohortSource, buckets: { key: string; count: number }[]): Promise<Bucket[]> {
  if ((await shownCount(source)) === null) return [];
  const counts = protectDimension(buckets.map((b) => b.count), source.minCell);
  return buckets.flatMap(({ key }, i) => (counts[i] ? [{ key, count: counts[i] }] : []));
}

export const CohortSummary = {
  count: shownCount,

  suppressed: async (source: CohortSource) => (await shownCount(source)) === null,

  async ageDistribution(source: CohortSource): Promise<Bucket[]> {
    const bands = [...(await source.distributions()).ageBands];
    bands.sort((a, b) => (a.bandStart ?? Infinity) - (b.bandStart ?? Infinity));
    return shownBuckets(source, bands.map(({ bandStart, count }) => ({ key: bandStart === null ? NOT_RECORDED : `${bandStart}-${bandStart + 9}`, count })));
  },

  async sexDistribution(source: CohortSource): Promise<Bucket[]> {
    const sexes = [...(await source.distributions()).sexes];
    sexes.sort((a, b) => sexRank(a.sex) - sexRank(b.sex));
    // Keys are the GraphQL Sex enum names, not the stored FHIR codes.
    return shownBuckets(source, sexes.map(({ sex, count }) => ({ key: sex === null ? NOT_RECORDED : sex.toUpperCase(), count })));
  },

  /**
   * Patients with a value (n) and without one partition the cohort's count: a researcher sees no
   * percentiles when either is a small cell (CMS: the rule "also applies to the reporting of excluded cases").
   */
  async labPercentiles(source: CohortSource, args: { code: string }, ctx: PatientContext) {
    const { code, unit } = catalogueCode(args.code, 'labPercentiles.code');
    const [percentiles, { count }] = await Promise.all([ctx.cohorts.labPercentiles(source.criteria, code), source.distributions()]);
    if (protectTotal(count, source.minCell) === null) return null;
    const [n] = protectDimension([percentiles.n, count - percentiles.n], source.minCell);
    return n === null ? null : { code, unit, ...percentiles };
  },
};
