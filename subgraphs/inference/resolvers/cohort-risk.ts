import { ErrorCode, HubError } from '../../../lib/errors';
import { minimumCellFor, protectDimension, protectTotal } from '../../../lib/disclosure-control';
import type { InferenceContext } from './context';

/** Risk for a cohort is computed patient by patient: beyond this many, narrow the filter. */
export const MAX_RISK_COHORT = 2_000;
/** 5-point bins of 10-year risk, percent: [0, 5), [5, 10) … [40, ∞). */
const BIN_WIDTH = 5;
const BINS = 9;

/**
 * Query.cohortRiskDistribution: the cohort as the patient subgraph's filter selects it, counted as
 * Query.cohort counts for this caller (organisation, research consent), each patient's PCE from their
 * own latest data (the same computation as Patient.risk), binned. Patients the equations do not apply to
 * (established ASCVD, issue 17; out-of-range values; missing inputs) are counted as not applicable, never
 * binned. A researcher sees no cell under 11, and the bins with the not-applicable count are one dimension of the count shown,
 * protected against complementary disclosure (lib/disclosure-control.ts).
 */
export async function cohortRiskDistribution(_: unknown, args: { cohort?: Record<string, unknown> | null }, ctx: InferenceContext) {
  const members = await ctx.cohortMembers(args.cohort ?? {});
  const counted = await ctx.countable(members);
  if (counted.length > MAX_RISK_COHORT) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `cohort: ${counted.length} patients; narrow it to at most ${MAX_RISK_COHORT} for a risk distribution`, { field: 'cohort' });
  }
  const model = 'Pooled Cohort Equations (Goff et al., Circulation 2014), 10-year ASCVD';
  const minCell = minimumCellFor(ctx.identity);
  const patients = protectTotal(counted.length, minCell);
  if (patients === null) return { patients: null, suppressed: true, notApplicable: null, bins: [], model };
  const risks = await ctx.loaders.risk.loadMany(counted);
  const counts = Array.from({ length: BINS }, () => 0);
  let notApplicable = 0;
  for (const risk of risks) {
    if (risk instanceof Error) throw risk;
    const pce = risk?.cardiovascular.pce10y;
    if (pce === null || pce === undefined) notApplicable += 1;
    else counts[Math.min(BINS - 1, Math.floor(pce / BIN_WIDTH))]! += 1;
  }
  const shown = protectDimension([...counts, notApplicable], minCell);
  return {
    patients,
    suppressed: false,
    notApplicable: shown[BINS],
    bins: counts.map((_, i) => ({ from: i * BIN_WIDTH, to: i === BINS - 1 ? null : (i + 1) * BIN_WIDTH, count: shown[i] })),
    model,
  };
}
