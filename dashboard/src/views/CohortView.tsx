import { useEffect, useState } from 'preact/hooks';
import type { Route } from '../routes';
import { useQuery } from '../graphql/hooks';
import { subscribe } from '../graphql/client';
import { useSessionContext } from '../session-context';
import { CohortQuery, CohortRiskSubscription } from '../graphql/operations';
import type { CohortRiskFilter, DashboardCohortRiskSubscription, PatientFilter, Sex } from '../gql/graphql';
import { Panel } from '../components/Panel';
import { Histogram, Pyramid } from '../components/Bars';
import { LiveStatus } from '../components/LiveStatus';
import { BASE } from '../base';
import { PageError } from '../components/PageError';

interface Filters {
  ageMin: string;
  ageMax: string;
  sex: string;
  conditionCode: string;
}

const FIELDS: (keyof Filters)[] = ['ageMin', 'ageMax', 'sex', 'conditionCode'];
const int = (value: string) => (value.trim() && Number.isFinite(Number(value)) ? Math.trunc(Number(value)) : undefined);

export function patientFilter(f: Filters): PatientFilter {
  return {
    ...(int(f.ageMin) !== undefined ? { ageMin: int(f.ageMin) } : {}),
    ...(int(f.ageMax) !== undefined ? { ageMax: int(f.ageMax) } : {}),
    ...(f.sex ? { sex: f.sex as Sex } : {}),
    ...(f.conditionCode.trim() ? { conditionCode: f.conditionCode.trim() } : {}),
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
  const applied: Filters = { ageMin: query.get('ageMin') ?? '', ageMax: query.get('ageMax') ?? '', sex: query.get('sex') ?? '', conditionCode: query.get('conditionCode') ?? '' };
  const [draft, setDraft] = useState<Filters>(applied);
  const base = patientFilter(applied);
  const cohort = useQuery(CohortQuery, { all: base, female: { ...base, sex: 'FEMALE' }, male: { ...base, sex: 'MALE' } });
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
          for (const field of FIELDS) if (draft[field].trim()) params.set(field, draft[field].trim());
          navigate(`${BASE}/cohort${params.size ? `?${params}` : ''}`);
        }}
      >
        <label>Age from <input name="ageMin" type="number" min="0" max="120" value={draft.ageMin} onInput={(e) => setDraft({ ...draft, ageMin: (e.target as HTMLInputElement).value })} /></label>
        <label>to <input name="ageMax" type="number" min="0" max="120" value={draft.ageMax} onInput={(e) => setDraft({ ...draft, ageMax: (e.target as HTMLInputElement).value })} /></label>
        <label>Sex <select name="sex" value={draft.sex} onChange={(e) => setDraft({ ...draft, sex: (e.target as HTMLSelectElement).value })}>
          <option value="">any</option><option value="FEMALE">female</option><option value="MALE">male</option><option value="OTHER">other</option><option value="UNKNOWN">unknown</option>
        </select></label>
        <label>Condition code <input name="conditionCode" value={draft.conditionCode} placeholder="e.g. 44054006" onInput={(e) => setDraft({ ...draft, conditionCode: (e.target as HTMLInputElement).value })} /></label>
        <button type="submit">Apply</button>
      </form>
      <div class="grid">
        <Panel title="Patients" id="count" loading={cohort.loading} errors={errorsOf(errors)}>
          <p class="big" data-testid="cohort-count">{data?.all.suppressed ? 'fewer than 11' : (data?.all.count ?? '—')}</p>
          {data?.all.suppressed && <p class="muted">Cohorts under 11 consenting patients are not shown (small-cell suppression).</p>}
          <p class="muted">{data?.all.sexDistribution.map((b) => `${b.key.toLowerCase()} ${b.count}`).join(' · ')}</p>
          <p class="muted">Research-consented patients only.</p>
        </Panel>
        <Panel title="Age and sex" id="pyramid" loading={cohort.loading} errors={errorsOf(errors)} empty={data && (data.all.suppressed ? 'Suppressed: fewer than 11 consenting patients.' : !data.all.count && 'No consenting patients match these filters.')}>
          {data && <p class="muted">Age bands with fewer than 11 patients are left out.</p>}
          {data && <Pyramid left={!base.sex || base.sex === 'FEMALE' ? data.female.ageDistribution : []} right={!base.sex || base.sex === 'MALE' ? data.male.ageDistribution : []} leftLabel="female" rightLabel="male" />}
        </Panel>
        <Panel title="Live risk updates" id="live-risk">
          <p>
            <span class="big" data-testid="live-count">{events.length}</span> risk recomputations since this page opened
            {applied.conditionCode && <span class="muted"> (the live feed filters by age and sex, not condition)</span>}
          </p>
          <Histogram bins={riskBins(events.flatMap((e) => (e.pce10y === null ? [] : [e.pce10y])))} label="10-year PCE risk, % (live)" />
          <p class="muted">De-identified: age band, sex and year only.</p>
        </Panel>
      </div>
    </div>
  );
}

const errorsOf = (errors: { message: string }[] | undefined) => (errors ?? []).map((e) => ({ message: e.message }));
