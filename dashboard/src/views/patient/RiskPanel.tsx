import { useState } from 'preact/hooks';
import type { QueryState } from '../../graphql/hooks';
import { useQuery } from '../../graphql/hooks';
import { patientPanelErrors } from '../../graphql/client';
import { RiskWhatIfQuery } from '../../graphql/operations';
import type { CardiovascularRiskFragment, DashboardPatientRiskQuery, RiskChanges } from '../../gql/graphql';
import { Panel, percent } from '../../components/Panel';
import { DatedValue } from '../../components/DatedValue';

const INPUT_LABELS: Record<string, string> = {
  age: 'age', sex: 'sex', race: 'race', totalCholesterol: 'total cholesterol (mg/dL)', hdlCholesterol: 'HDL cholesterol (mg/dL)',
  systolicBp: 'systolic BP (mmHg)', onHypertensionTreatment: 'on BP treatment', smoker: 'smoker', diabetes: 'diabetes', bmi: 'BMI', egfr: 'eGFR', onStatin: 'on statin',
};

/** category as a clinician reads it: "secondary prevention" rather than SECONDARY_PREVENTION. */
const SECONDARY_PREVENTION = 'SECONDARY_PREVENTION';
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : null);
type Risk = CardiovascularRiskFragment;

/** "Coronary Heart Disease (2012-05-03)", or "established ASCVD (stated)" when no record is behind it. */
function conditionLabel(causedBy: Risk['applicability'][number]['causedBy']): string {
  if (!causedBy?.code) return 'established ASCVD (stated)';
  const date = day(causedBy.onsetAt) ?? day(causedBy.recordedAt);
  return `${causedBy.display ?? causedBy.code}${date ? ` (${date})` : ''}`;
}

export function RiskPanel(props: { patientId: string; state: QueryState<DashboardPatientRiskQuery>; live?: { risk: CardiovascularRiskFragment; at: string; reason: string } }) {
  const { state, live } = props;
  const loaded = state.result?.data?.patient?.risk?.cardiovascular;
  const risk = live?.risk ?? loaded;
  const pce = risk?.applicability.find((a) => a.model === 'PCE');
  const prevent = risk?.applicability.find((a) => a.model === 'PREVENT');
  const secondary = risk?.category === SECONDARY_PREVENTION;
  return (
    <Panel title="Cardiovascular risk" id="risk" loading={state.loading && !risk} failure={state.failure} errors={patientPanelErrors(state.result, 'risk')} empty={!state.loading && !risk && 'No risk estimate.'}>
      {risk && (
        <>
          {secondary ? (
            // Issue 17: a primary-prevention percentage must not be shown for a patient with established ASCVD.
            <p class="warning" data-testid="risk-secondary-prevention">
              Secondary prevention — not applicable because {conditionLabel(pce?.causedBy ?? null)}: PCE and PREVENT estimate a first event.
            </p>
          ) : (
            <div class="risk-figures">
              <Figure label="PCE 10-year ASCVD" value={percent(risk.pce10y)} testId="pce10y" />
              {prevent?.applicable === false ? (
                <Figure label="PREVENT" value="not applicable" testId="prevent-cvd10y" />
              ) : (
                <>
                  <Figure label="PREVENT 10-year CVD" value={percent(risk.prevent?.cvd10y)} testId="prevent-cvd10y" />
                  <Figure label="PREVENT 10-year ASCVD" value={percent(risk.prevent?.ascvd10y)} />
                  <Figure label="PREVENT 10-year HF" value={percent(risk.prevent?.hf10y)} />
                  <Figure label="PREVENT 30-year CVD" value={percent(risk.prevent?.cvd30y)} />
                </>
              )}
              <Figure label="Category" value={risk.category ?? '—'} />
            </div>
          )}
          {!secondary && prevent?.applicable === false && (
            <p class="warning" data-testid="risk-prevent-not-applicable">PREVENT not applicable because {conditionLabel(prevent.causedBy)}.</p>
          )}
          {live && (
            <p class="updated" data-testid="risk-updated">
              Updated live {new Date(live.at).toLocaleTimeString()} ({live.reason})
            </p>
          )}
          {risk.notes.map((n) => <p class="warning" key={n} data-testid="risk-note">{n}</p>)}
          <details open>
            <summary>
              Inputs{risk.asOf ? ` as of ${day(risk.asOf)}` : ''}{risk.missing.length ? ` — ${risk.missing.length} missing` : ''}{risk.staleInputs.length ? ` — ${risk.staleInputs.length} stale` : ''}
            </summary>
            <dl class="facts">
              {Object.entries(INPUT_LABELS).map(([key, label]) => {
                const value = risk.inputs[key as keyof typeof risk.inputs];
                const dated = risk.datedInputs.find((d) => d.input === key);
                return (
                  <>
                    <dt>{label}</dt>
                    <dd class={risk.missing.includes(key) ? 'missing' : ''} data-testid={`risk-input-${key}`}>
                      {value === null || value === undefined ? 'missing' : String(value).toLowerCase()}
                      {dated && <InputOrigin dated={dated} isAge={key === 'age'} />}
                    </dd>
                  </>
                );
              })}
            </dl>
            {risk.missing.length > 0 && <p class="warning">Missing: {risk.missing.map((m) => INPUT_LABELS[m] ?? m).join(', ')}</p>}
            {risk.excludedValues.map((x) => (
              <p class="warning" key={`${x.input}${x.value}`}>Excluded {x.input} {x.value} {x.unit ?? ''}: {x.reason}</p>
            ))}
            {risk.notApplicableReasons.map((r) => <p class="muted" key={r}>{r}</p>)}
          </details>
          <p class="muted">Models: {risk.models.map((m) => `${m.name} ${m.version} (${m.source})`).join('; ')}</p>
          {!secondary && <WhatIf patientId={props.patientId} />}
        </>
      )}
    </Panel>
  );
}

/** Where an input came from: its date, a stale mark, and for a derived value its formula and source value. */
function InputOrigin({ dated, isAge }: { dated: Risk['datedInputs'][number]; isAge: boolean }) {
  if (isAge) return <span class="muted"> (on {day(dated.effectiveAt)})</span>;
  const from = dated.derivation?.inputs.filter((i) => i.name !== 'age').map((i) => `${i.name} of ${day(i.effectiveAt)}`).join(' and ');
  return (
    <>
      {dated.display && <span class="muted"> — {dated.display}</span>}
      {dated.effectiveAt && (
        <span class="muted">
          {' ('}
          <DatedValue at={dated.effectiveAt} stale={dated.stale} maxAgeDays={dated.maxAgeDays} testId="risk-input-date" />)
        </span>
      )}
      {dated.derivation && <span class="muted" data-testid="risk-derived"> derived: {dated.derivation.formula} from {from}</span>}
    </>
  );
}

function Figure(props: { label: string; value: string; testId?: string }) {
  return (
    <div class="figure">
      <span class="value" data-testid={props.testId}>{props.value}</span>
      <span class="label">{props.label}</span>
    </div>
  );
}

/** riskWhatIf: the same equations with the chosen changes, and the absolute and relative deltas. */
function WhatIf({ patientId }: { patientId: string }) {
  const [draft, setDraft] = useState<{ systolicBpTarget: string; stopSmoking: boolean; startStatin: boolean }>({ systolicBpTarget: '', stopSmoking: false, startStatin: false });
  const [changes, setChanges] = useState<RiskChanges>();
  const result = useQuery(RiskWhatIfQuery, { id: patientId, changes: changes ?? {} }, !changes);
  const whatIf = result.result?.data?.patient?.riskWhatIf;
  return (
    <details class="what-if">
      <summary>What if…</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const target = Number.parseFloat(draft.systolicBpTarget);
          setChanges({ ...(Number.isFinite(target) ? { systolicBpTarget: target } : {}), ...(draft.stopSmoking ? { stopSmoking: true } : {}), ...(draft.startStatin ? { startStatin: true } : {}) });
        }}
      >
        <label>Systolic BP target <input type="number" min="80" max="200" value={draft.systolicBpTarget} onInput={(e) => setDraft({ ...draft, systolicBpTarget: (e.target as HTMLInputElement).value })} /> mmHg</label>
        <label><input type="checkbox" checked={draft.stopSmoking} onChange={(e) => setDraft({ ...draft, stopSmoking: (e.target as HTMLInputElement).checked })} /> stop smoking</label>
        <label><input type="checkbox" checked={draft.startStatin} onChange={(e) => setDraft({ ...draft, startStatin: (e.target as HTMLInputElement).checked })} /> start a statin</label>
        <button type="submit">Recompute</button>
      </form>
      {result.loading && changes && <p class="loading">Computing…</p>}
      {(result.failure || result.result?.errors) && <p class="error">{result.failure ?? result.result?.errors?.map((e) => e.message).join('; ')}</p>}
      {whatIf && (
        <>
          <ul>{whatIf.changes.map((c) => <li key={c.change} class={c.applied ? '' : 'muted'}>{c.description}{c.applied ? '' : ' (not applied)'}</li>)}</ul>
          <table>
            <thead><tr><th>Measure</th><th class="num">Now</th><th class="num">Scenario</th><th class="num">Change</th></tr></thead>
            <tbody>
              {whatIf.deltas.map((d) => (
                <tr key={d.measure}>
                  <td>{d.measure}</td>
                  <td class="num">{percent(d.baseline)}</td>
                  <td class="num">{percent(d.scenario)}</td>
                  <td class="num">{d.absoluteChange >= 0 ? '+' : ''}{d.absoluteChange.toFixed(1)} points{d.relativeChange !== null ? ` (${(d.relativeChange * 100).toFixed(0)} % relative)` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </details>
  );
}
