import { useEffect, useState } from 'preact/hooks';
import type { Route } from '../routes';
import { useQuery } from '../graphql/hooks';
import { subscribe } from '../graphql/client';
import { useSessionContext } from '../session-context';
import { CohortGenesQuery, CohortQuery, CohortRiskDistributionQuery, CohortRiskSubscription } from '../graphql/operations';
import type { CohortRiskFilter, DashboardCohortRiskSubscription, PatientFilter, Sex } from '../gql/graphql';
import { Panel } from '../components/Panel';
import { Histogram, Pyramid } from '../components/Bars';
import { LiveStatus } from '../components/LiveStatus';
import { BASE } from '../base';
import { PageError } from '../components/PageError';
import { LAB_CODES, labCode } from '../lab-codes';

interface Filters {
  ageMin: string;
  ageMax: string;
  sex: string;
  conditionCode: string;
  /** LOINC code of the hub's catalogue; with labMin and/or labMax, the latest value must lie in [labMin, labMax]. */
  labCode: string;
  labMin: string;
  labMax: string;
  /** HGNC symbol, or a variant id GRCh38:<chrom>:<pos>:<ref>:<alt>: carriers only. */
  gene: string;
}

const FIELDS: (keyof Filters)[] = ['ageMin', 'ageMax', 'sex', 'conditionCode', 'gene', 'labCode', 'labMin', 'labMax'];
const VARIANT_ID = /^GRCh38:/i;
const num = (value: string) => (value.trim() && Number.isFinite(Number(value)) ? Number(value) : undefined);
const int = (value: string) => (num(value) === undefined ? undefined : Math.trunc(num(value)!));
/** How many genes the top-genes chart shows. */
export const TOP_GENES = 10;

export function filtersOf(query: URLSearchParams): Filters {
  return Object.fromEntries(FIELDS.map((field) => [field, query.get(field) ?? ''])) as unknown as Filters;
}

export function patientFilter(f: Filters): PatientFilter {
  return {
    ...(int(f.ageMin) !== undefined ? { ageMin: int(f.ageMin) } : {}),
    ...(int(f.ageMax) !== undefined ? { ageMax: int(f.ageMax) } : {}),
    ...(f.sex ? { sex: f.sex as Sex } : {}),
    ...(f.conditionCode.trim() ? { conditionCode: f.conditionCode.trim() } : {}),
    ...(f.gene.trim() ? (VARIANT_ID.test(f.gene.trim()) ? { variant: f.gene.trim() } : { gene: f.gene.trim().toUpperCase() }) : {}),
    ...(f.labCode.trim() ? { observation: { code: f.labCode.trim(), ...(num(f.labMin) !== undefined ? { min: num(f.labMin) } : {}), ...(num(f.labMax) !== undefined ? { max: num(f.labMax) } : {}) } } : {}),
  };
}

/** The cohort subscription filters by age and sex only (no condition): said on the page. */
export function cohortRiskFilter(f: Filters): CohortRiskFilter {
  return {
    ...(int(f.ageMin) !== undefined ? { minAge: int(f.ageMin) } : {}),
    ...(int(f.ageMax) !== undefined ? { maxAge: int(f.ageMax) } : {}),
    ...(f.sex === 'FEMALE' || f.sex === 'MALE' ? { sex: f.sex } : {}),
  };
}

/** 10-year PCE risk (percent) in 5-point bins, 0–4 % … 40+ %. */
export function riskBins(values: number[]) {
  const bins = Array.from({ length: 9 }, (_, i) => ({ key: i === 8 ? '40+' : `${i * 5}`, count: 0 }));
  for (const v of values) bins[Math.min(8, Math.max(0, Math.floor(v / 5)))]!.count++;
  return bins;
}

type CohortEvent = DashboardCohortRiskSubscription['cohortRiskUpdated'];

export function CohortView({ route }: { route: Route }) {
  const { live, navigate } = useSessionContext();
  const query = route.view === 'cohort' ? route.query : new URLSearchParams();
  const applied = filtersOf(query);
  const [draft, setDraft] = useState<Filters>(applied);
  const base = patientFilter(applied);
  const lab = base.observation ? labCode(base.observation.code) : undefined;
  const cohort = useQuery(CohortQuery, {
    all: base,
    female: { ...base, sex: 'FEMALE' },
    male: { ...base, sex: 'MALE' },
    labCode: base.observation?.code ?? '',
    withLab: Boolean(base.observation),
  });
  const genes = useQuery(CohortGenesQuery, { first: TOP_GENES, cohort: base });
  // The inference subgraph's cohort filter has the same fields as PatientFilter (sex as its enum name).
  const risk = useQuery(CohortRiskDistributionQuery, { cohort: base });
  const [events, setEvents] = useState<CohortEvent[]>([]);
  const [liveError, setLiveError] = useState<string>();
  const riskFilter = JSON.stringify(cohortRiskFilter(applied));

  useEffect(() => {
    setEvents([]);
    if (!live) return;
    return subscribe(live, CohortRiskSubscription, { filter: JSON.parse(riskFilter) as CohortRiskFilter }, (d) => setEvents((e) => [...e.slice(-999), d.cohortRiskUpdated]), setLiveError);
  }, [live, riskFilter]);

  if (cohort.failure) return <PageError title="The cohort could not be loaded" message={cohort.failure} />;
  const data = cohort.result?.data;
  const errors = cohort.result?.errors;
  return (
    <div class="cohort" data-testid="cohort-page">
      <div class="page-title">
        <h1>Cohort</h1>
        <LiveStatus error={liveError} />
      </div>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const params = new URLSearchParams();
          // A lab range without its code filters nothing: dropped rather than kept in the address.
          for (const field of FIELDS) if (draft[field].trim() && (draft.labCode || !field.startsWith('lab'))) params.set(field, draft[field].trim());
          navigate(`${BASE}/cohort${params.size ? `?${params}` : ''}`);
        }}
      >
        <label>Age from <input name="ageMin" type="number" min="0" max="120" value={draft.ageMin} onInput={(e) => setDraft({ ...draft, ageMin: (e.target as HTMLInputElement).value })} /></label>
        <label>to <input name="ageMax" type="number" min="0" max="120" value={draft.ageMax} onInput={(e) => setDraft({ ...draft, ageMax: (e.target as HTMLInputElement).value })} /></label>
        <label>Sex <select name="sex" value={draft.sex} onChange={(e) => setDraft({ ...draft, sex: (e.target as HTMLSelectElement).value })}>
          <option value="">any</option><option value="FEMALE">female</option><option value="MALE">male</option><option value="OTHER">other</option><option value="UNKNOWN">unknown</option>
        </select></label>
        <label>Condition code <input name="conditionCode" value={draft.conditionCode} placeholder="e.g. 44054006" onInput={(e) => setDraft({ ...draft, conditionCode: (e.target as HTMLInputElement).value })} /></label>
        <label>Gene or variant <input name="gene" value={draft.gene} placeholder="e.g. BRAF or GRCh38:7:140753336:A:T" onInput={(e) => setDraft({ ...draft, gene: (e.target as HTMLInputElement).value })} /></label>
        <label>Latest lab <select name="labCode" value={draft.labCode} onChange={(e) => setDraft({ ...draft, labCode: (e.target as HTMLSelectElement).value })}>
          <option value="">any</option>
          {LAB_CODES.map((l) => <option key={l.code} value={l.code}>{l.label} ({l.code})</option>)}
        </select></label>
        <label>from <input name="labMin" type="number" step="any" value={draft.labMin} disabled={!draft.labCode} onInput={(e) => setDraft({ ...draft, labMin: (e.target as HTMLInputElement).value })} /></label>
        <label>to <input name="labMax" type="number" step="any" value={draft.labMax} disabled={!draft.labCode} onInput={(e) => setDraft({ ...draft, labMax: (e.target as HTMLInputElement).value })} /></label>
        {draft.labCode && <span class="muted">{labCode(draft.labCode)?.unit ?? ''}</span>}
        <button type="submit">Apply</button>
      </form>
      <div class="grid">
        <Panel title="Patients" id="count" loading={cohort.loading} errors={errorsOf(errors)}>
          <p class="big" data-testid="cohort-count">{data?.all.suppressed ? 'fewer than 11' : (data?.all.count ?? '—')}</p>
          {data?.all.suppressed && <p class="muted">Cohorts under 11 consenting patients are not shown (small-cell suppression).</p>}
          <p class="muted">{data?.all.sexDistribution.map((b) => `${b.key.toLowerCase()} ${b.count}`).join(' · ')}</p>
          <p class="muted">Research-consented patients only.</p>
          {base.observation && (
            <p class="muted" data-testid="lab-filter">
              Latest {lab?.label ?? base.observation.code} {rangeText(base.observation.min, base.observation.max)} {lab?.unit ?? ''}
            </p>
          )}
        </Panel>
        <Panel title="Age and sex" id="pyramid" loading={cohort.loading} errors={errorsOf(errors)} empty={data && (data.all.suppressed ? 'Suppressed: fewer than 11 consenting patients.' : !data.all.count && 'No consenting patients match these filters.')}>
          {data && <p class="muted">Age bands with fewer than 11 patients are left out.</p>}
          {data && <Pyramid left={!base.sex || base.sex === 'FEMALE' ? data.female.ageDistribution : []} right={!base.sex || base.sex === 'MALE' ? data.male.ageDistribution : []} leftLabel="female" rightLabel="male" />}
        </Panel>
        {base.observation && (
          <Panel title={`${lab?.label ?? base.observation.code}: latest values`} id="lab-distribution" loading={cohort.loading} errors={errorsOf(errors)}
            empty={data && (data.all.suppressed ? 'Suppressed: fewer than 11 consenting patients.' : !data.all.labPercentiles?.n && 'No patient in this cohort has a value of this code.')}>
            {data?.all.labPercentiles && (
              <>
                <Histogram bins={percentileBars(data.all.labPercentiles)} label={`percentiles of the latest ${lab?.label ?? data.all.labPercentiles.code}, ${data.all.labPercentiles.unit}`} />
                <p class="muted">Percentiles 10–90 of each patient's latest value, {data.all.labPercentiles.unit}, over {data.all.labPercentiles.n} patients.</p>
              </>
            )}
          </Panel>
        )}
        <Panel title="Top genes" id="top-genes" loading={genes.loading} failure={genes.failure} errors={errorsOf(genes.result?.errors)}
          empty={genes.result?.data && !genes.result.data.cohortGenes.length && 'No gene is carried by 11 or more consenting patients.'}>
          {genes.result?.data && <GeneBars genes={genes.result.data.cohortGenes.map((g) => ({ key: g.gene.symbol, count: g.patients }))} />}
          <p class="muted">Patients carrying a variant in each gene, among the patients above (researchers: research-consented patients only, genes carried by fewer than 11 left out).</p>
        </Panel>
        <Panel title="10-year risk (PCE)" id="risk-distribution" loading={risk.loading} failure={risk.failure} errors={errorsOf(risk.result?.errors)}
          empty={risk.result?.data && (risk.result.data.cohortRiskDistribution.suppressed ? 'Suppressed: fewer than 11 consenting patients.' : !risk.result.data.cohortRiskDistribution.patients && 'No patient matches these filters.')}>
          {risk.result?.data && !risk.result.data.cohortRiskDistribution.suppressed && (
            <>
              <Histogram
                bins={risk.result.data.cohortRiskDistribution.bins.map((b) => ({ key: b.to === null ? `${b.from}+` : `${b.from}`, count: b.count ?? 0 }))}
                label="10-year PCE risk, % (each patient's latest data)"
              />
              <p class="muted" data-testid="risk-distribution-note">
                {risk.result.data.cohortRiskDistribution.patients} patients; the equations do not apply to {risk.result.data.cohortRiskDistribution.notApplicable ?? 'a suppressed number'} of them (age, missing inputs). Bins under 11 patients are hidden from researchers. {risk.result.data.cohortRiskDistribution.model}.
              </p>
            </>
          )}
        </Panel>
        <Panel title="Live risk updates" id="live-risk">
          <p>
            <span class="big" data-testid="live-count">{events.length}</span> risk recomputations since this page opened
            {(applied.conditionCode || base.observation || applied.gene) && <span class="muted"> (the live feed filters by age and sex, not condition, gene or lab)</span>}
          </p>
          <Histogram bins={riskBins(events.flatMap((e) => (e.pce10y === null ? [] : [e.pce10y])))} label="10-year PCE risk, % (live)" />
          <p class="muted">De-identified: age band, sex and year only.</p>
        </Panel>
      </div>
    </div>
  );
}

const rangeText = (min?: number | null, max?: number | null) =>
  min != null && max != null ? `${min}–${max}` : min != null ? `≥ ${min}` : max != null ? `≤ ${max}` : 'recorded';

/** p10 … p90 as bars, each value rounded to one decimal. */
export function percentileBars(p: { p10?: number | null; p25?: number | null; p50?: number | null; p75?: number | null; p90?: number | null }) {
  return (['p10', 'p25', 'p50', 'p75', 'p90'] as const).map((key) => ({ key, count: Math.round((p[key] ?? 0) * 10) / 10 }));
}

/** Horizontal bars, one per gene, most carried first. */
function GeneBars({ genes }: { genes: { key: string; count: number }[] }) {
  const max = Math.max(1, ...genes.map((g) => g.count));
  const row = 20;
  return (
    <svg class="gene-bars" width={360} height={genes.length * row + 4} role="img" aria-label="patients per gene">
      {genes.map((g, i) => (
        <g key={g.key} data-testid="top-gene">
          <text x={60} y={i * row + 14} text-anchor="end" class="axis">{g.key}</text>
          <rect x={66} y={i * row + 2} width={(g.count / max) * 240} height={row - 4} class="bar" />
          <text x={70 + (g.count / max) * 240} y={i * row + 14} class="value">{g.count}</text>
        </g>
      ))}
    </svg>
  );
}

const errorsOf = (errors: { message: string }[] | undefined) => (errors ?? []).map((e) => ({ message: e.message }));
