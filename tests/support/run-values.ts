/**
 * A lab value (four decimals, the precision the hub stores: subgraphs/patient/domain/loinc.ts) that names one
 * test's patients in a cohort filter `min = max = value`, as the shared test database holds every test's
 * patients. Its last decimal is never 0, so no value written with three decimals or fewer (fixtures, Synthea's
 * one-decimal results) can be it, and two draws meet once in 900,000. Two decimals (10,000 values over
 * 150–250 mg/dL) could equal another test's or a Synthea patient's value and put a stranger in the cohort.
 */
export function runOnlyLabValue(from = 150, span = 100): number {
  const tenThousandths = Math.floor(Math.random() * span * 1000) * 10 + 1 + Math.floor(Math.random() * 9);
  return Number((from + tenThousandths / 10_000).toFixed(4));
}
