import { useState } from 'preact/hooks';
import { useQuery, type QueryState } from '../../graphql/hooks';
import { patientPanelErrors } from '../../graphql/client';
import { PatientAllTrialsQuery } from '../../graphql/operations';
import type { DashboardPatientDecisionsQuery, MedicationAlertItemFragment, TrialMatchItemFragment } from '../../gql/graphql';
import { Panel } from '../../components/Panel';

const RESULT_MARK: Record<string, string> = { MET: '✓', NOT_MET: '✗', UNKNOWN: '?' };

type DrugResponse = NonNullable<DashboardPatientDecisionsQuery['patient']>['drugResponses'][number];

/**
 * CPIC's population codes as its clopidogrel guideline uses them (Lee CR et al., Clin Pharmacol Ther
 * 2022;112:959, Table 2; worded after CPIC's own comment on each: "For cardiovascular indications of
 * acute coronary syndrome (ACS) and/or percutaneous coronary intervention (PCI)", "For non-acute coronary
 * syndrome (non-ACS) and non-percutaneous coronary intervention (non-PCI) cardiovascular indications",
 * "For neurovascular indications"); any other is shown as written.
 */
const POPULATION_LABEL: Record<string, string> = {
  'CVI ACS PCI': 'Cardiovascular: ACS and/or PCI',
  'CVI non-ACS non-PCI': 'Cardiovascular: non-ACS, non-PCI',
  NVI: 'Neurovascular',
  general: 'All patients',
};

/** One card per drug: CPIC's recommendation for each population (indication), with its classification. */
function DrugResponseCard({ response: r }: { response: DrugResponse }) {
  const several = r.recommendationsByPopulation.length > 1;
  return (
    <li class={`drug-response${r.currentMedication ? ' current' : ''}`} data-testid="drug-response">
      <strong>{r.drugName}</strong>{r.currentMedication ? ' (current medication)' : ''} — {r.phenotype} {r.diplotypes.length ? `(${r.diplotypes.join(', ')})` : ''}
      {r.notes.map((note, i) => <p key={i} class="untested" data-testid="untested-note">{note}</p>)}
      {several && <p class="muted">CPIC recommends by indication: read the section for the patient's.</p>}
      {r.recommendationsByPopulation.map((p) => (
        <section key={p.recommendationId} class="population" data-testid="population" data-population={p.population}>
          {(several || p.population !== 'general') && (
            <h4>
              {POPULATION_LABEL[p.population] ?? p.population} <span class="muted">({p.population})</span>
            </h4>
          )}
          <p>
            {p.classification && <span class={`classification classification-${p.classification.toLowerCase().replace(/\s+/g, '-')}`}>{p.classification}</span>} {p.recommendation}
          </p>
          {p.implications.map((i) => <p key={i.gene} class="muted">{i.gene}: {i.implication}</p>)}
          {p.comments && <p class="muted comments">{p.comments}</p>}
        </section>
      ))}
      <p class="muted">
        {r.url ? <a href={r.url} target="_blank" rel="noreferrer noopener">{r.guideline ?? r.source}</a> : r.guideline ?? r.source} · {r.source} {r.sourceVersion ?? ''}
        {r.guidelineCitation ? ` · ${r.guidelineCitation}` : ''}
      </p>
    </li>
  );
}

function TrialMatchItem({ match: m }: { match: TrialMatchItemFragment }) {
  return (
    <details data-testid="trial-match" class={`trial status-${m.status.toLowerCase()}`}>
      <summary>
        <a href={`https://clinicaltrials.gov/study/${m.trial.nctId}`} target="_blank" rel="noreferrer noopener">{m.trial.nctId}</a> {m.title} — {m.status.toLowerCase().replace(/_/g, ' ')}, score {m.score.toFixed(2)}
        {m.genomicMatch && <span class="genomic-match"> · genomic match</span>}
      </summary>
      <ul class="criteria">
        {m.criteria.map((c, i) => (
          <li key={i} class={`criterion ${c.result.toLowerCase()}`}>
            <span class="mark" title={c.result}>{RESULT_MARK[c.result] ?? c.result}</span> {c.description} <span class="muted">— {c.reason}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function DecisionPanels(props: { state: QueryState<DashboardPatientDecisionsQuery>; live?: { alerts: MedicationAlertItemFragment[]; at: string; reason: string } }) {
  const { state, live } = props;
  const patient = state.result?.data?.patient;
  const loading = state.loading && !patient;
  const alerts = live?.alerts ?? patient?.medicationAlerts ?? [];
  // By default only trials with a genomic match; every screened trial when the clinician asks (issue 17).
  const [allTrials, setAllTrials] = useState(false);
  const all = useQuery(PatientAllTrialsQuery, { id: patient?.id ?? '' }, !allTrials || !patient);
  const trialState = allTrials ? all : state;
  const trials = allTrials ? all.result?.data?.patient?.trialMatches : patient?.trialMatches;
  return (
    <>
      <Panel title="Medication alerts" id="alerts" loading={loading && !live} failure={state.failure} errors={live ? [] : patientPanelErrors(state.result, 'medicationAlerts')} empty={(patient || live) && !alerts.length && 'No pharmacogenomic conflicts with current medications.'}>
        {alerts.map((a) => (
          <div class={`alert severity-${a.severity.toLowerCase()}`} role="alert" key={a.medication + a.phenotype}>
            <strong>{a.severity}</strong> {a.medication} — {a.phenotype}
            <p>{a.message}</p>
            <p><em>CPIC:</em> {a.recommendation}</p>
          </div>
        ))}
        {live && <p class="updated">Updated live {new Date(live.at).toLocaleTimeString()} ({live.reason})</p>}
      </Panel>
      <Panel title="CPIC recommendations" id="drug-responses" loading={loading} failure={state.failure} errors={patientPanelErrors(state.result, 'drugResponses')} empty={patient && !patient.drugResponses.length && 'No CPIC recommendations for this genotype.'}>
        <ul class="recommendations">
          {patient?.drugResponses.map((r) => <DrugResponseCard key={r.drugName} response={r} />)}
        </ul>
      </Panel>
      <Panel
        title="Trial matches"
        id="trials"
        loading={loading || (allTrials && all.loading && !trials)}
        failure={trialState.failure}
        errors={patientPanelErrors(trialState.result, 'trialMatches')}
        empty={trials && !trials.length && (allTrials ? 'No trials screened.' : 'No trial with a genomic match: the patient carries none of the variants the trials require.')}
        actions={
          patient && (
            <button type="button" class="link" data-testid="all-trials" onClick={() => setAllTrials(!allTrials)}>
              {allTrials ? 'Show genomic matches only' : 'Show every screened trial'}
            </button>
          )
        }
      >
        {trials?.map((m) => <TrialMatchItem key={m.trial.nctId} match={m} />)}
      </Panel>
    </>
  );
}
