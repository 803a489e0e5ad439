import type { QueryState } from '../../graphql/hooks';
import { patientPanelErrors } from '../../graphql/client';
import type { DashboardPatientDecisionsQuery, MedicationAlertItemFragment } from '../../gql/graphql';
import { Panel } from '../../components/Panel';

const RESULT_MARK: Record<string, string> = { MET: '✓', NOT_MET: '✗', UNKNOWN: '?' };

export function DecisionPanels(props: { state: QueryState<DashboardPatientDecisionsQuery>; live?: { alerts: MedicationAlertItemFragment[]; at: string; reason: string } }) {
  const { state, live } = props;
  const patient = state.result?.data?.patient;
  const loading = state.loading && !patient;
  const alerts = live?.alerts ?? patient?.medicationAlerts ?? [];
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
          {patient?.drugResponses.map((r, i) => (
            <li key={i} class={r.currentMedication ? 'current' : ''}>
              <strong>{r.drugName}</strong>{r.currentMedication ? ' (current medication)' : ''} — {r.phenotype} {r.diplotypes.length ? `(${r.diplotypes.join(', ')})` : ''}
              <p>{r.recommendation}</p>
              <p class="muted">
                {r.strength ? `${r.strength} · ` : ''}
                {r.url ? <a href={r.url} target="_blank" rel="noreferrer noopener">{r.source}</a> : r.source} {r.sourceVersion ?? ''}
              </p>
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Trial matches" id="trials" loading={loading} failure={state.failure} errors={patientPanelErrors(state.result, 'trialMatches')} empty={patient && !patient.trialMatches.length && 'No matching trials.'}>
        {patient?.trialMatches.map((m) => (
          <details key={m.trial.nctId}>
            <summary>
              <a href={`https://clinicaltrials.gov/study/${m.trial.nctId}`} target="_blank" rel="noreferrer noopener">{m.trial.nctId}</a> {m.title} — {m.status.toLowerCase().replace(/_/g, ' ')}, score {m.score.toFixed(2)}
            </summary>
            <ul class="criteria">
              {m.criteria.map((c, i) => (
                <li key={i} class={`criterion ${c.result.toLowerCase()}`}>
                  <span class="mark" title={c.result}>{RESULT_MARK[c.result] ?? c.result}</span> {c.description} <span class="muted">— {c.reason}</span>
                </li>
              ))}
            </ul>
          </details>
        ))}
      </Panel>
    </>
  );
}
