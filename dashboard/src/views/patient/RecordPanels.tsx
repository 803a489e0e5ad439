import { useMemo, useState } from 'preact/hooks';
import type { QueryState } from '../../graphql/hooks';
import { useQuery } from '../../graphql/hooks';
import { errorsAt } from '../../graphql/client';
import { RevealIdentifierQuery } from '../../graphql/operations';
import type { DashboardPatientRecordQuery } from '../../gql/graphql';
import { Panel } from '../../components/Panel';
import { DatedValue } from '../../components/DatedValue';
import { TimeSeriesChart } from '../../components/TimeSeriesChart';
import { groupMedications, type Freshness } from './summaries';

type Patient = NonNullable<DashboardPatientRecordQuery['patient']>;
type Observation = Patient['observations'][number];
type Identifier = Patient['identifiers'][number];

/** Latest value per LOINC code, and each numeric code's series (observations arrive newest first). */
export function summariseObservations(observations: Observation[]) {
  const latest = new Map<string, Observation>();
  const series = new Map<string, { display: string; unit: string; points: { at: string; value: number }[] }>();
  for (const o of observations) {
    if (!latest.has(o.code)) latest.set(o.code, o);
    if (o.value === null) continue;
    const s = series.get(o.code) ?? { display: o.display, unit: o.unit ?? '', points: [] };
    s.points.push({ at: o.effectiveAt, value: o.value });
    series.set(o.code, s);
  }
  return { latest: [...latest.values()], series: [...series.entries()].filter(([, s]) => s.points.length > 1) };
}

const INPUT_NAMES: Record<string, string> = {
  totalCholesterol: 'total cholesterol', hdlCholesterol: 'HDL cholesterol', systolicBp: 'systolic blood pressure', bmi: 'BMI', egfr: 'eGFR', smoker: 'smoking status',
};

/** `freshness`: the risk model's maximum age per LOINC code (summaries.ts freshnessByCode); empty while the risk loads. */
export function RecordPanels({ state, freshness }: { state: QueryState<DashboardPatientRecordQuery>; freshness: ReadonlyMap<string, Freshness> }) {
  const patient = state.result?.data?.patient;
  const errors = state.result?.errors;
  const observations = useMemo(() => summariseObservations(patient?.observations ?? []), [patient?.observations]);
  const medications = useMemo(() => groupMedications(patient?.medications ?? []), [patient?.medications]);
  return (
    <>
      <Panel title="Patient" id="demographics" loading={state.loading && !patient} errors={errorsAt(errors, 'patient', 'name')}>
        {patient && (
          <>
            <dl class="facts">
              <dt>Hub id</dt>
              <dd><code>{patient.id}</code></dd>
              <dt>Born</dt>
              <dd>{patient.birthDate ?? 'not recorded'}</dd>
              <dt>Sex</dt>
              <dd>{patient.sex?.toLowerCase() ?? 'not recorded'}</dd>
              <dt>Race</dt>
              <dd>{patient.race?.toLowerCase().replace(/_/g, ' ') ?? 'not recorded'}</dd>
            </dl>
            <table class="identifiers">
              <thead><tr><th>Identifier</th><th>Value</th></tr></thead>
              <tbody>
                {patient.identifiers.map((identifier) => <IdentifierRow key={`${identifier.system}|${identifier.value}`} patientId={patient.id} identifier={identifier} />)}
              </tbody>
            </table>
          </>
        )}
      </Panel>
      <Panel title="Latest vitals and labs" id="observations" loading={state.loading && !patient} errors={errorsAt(errors, 'patient', 'observations')} empty={patient && !observations.latest.length && 'No observations recorded.'}>
        <table class="observations">
          <thead>
            <tr><th>Observation (LOINC)</th><th class="num">Value</th><th>Unit</th><th>Date</th></tr>
          </thead>
          <tbody>
            {observations.latest.map((o) => {
              const fresh = freshness.get(o.code);
              return (
                <tr key={o.code} data-testid="observation-row" data-code={o.code}>
                  <td>{o.display} <code class="muted">{o.code}</code></td>
                  <td class="num nowrap">{o.value ?? o.valueCode?.display ?? o.valueCode?.code ?? '—'}</td>
                  <td class="nowrap">{o.unit ?? ''}</td>
                  <td class="nowrap">
                    <DatedValue at={o.effectiveAt} maxAgeDays={fresh?.maxAgeDays} staleWhy={fresh && `older than ${fresh.maxAgeDays} days, the most the risk model accepts for ${INPUT_NAMES[fresh.input] ?? fresh.input}`} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Panel>
      {observations.series.length > 0 && (
        <Panel title="Trends" id="trends">
          <div class="charts">
            {observations.series.map(([code, s]) => (
              <figure key={code}>
                <figcaption>{s.display} ({s.unit}), {s.points.length} values</figcaption>
                <TimeSeriesChart title={s.display} unit={s.unit} points={s.points} />
              </figure>
            ))}
          </div>
        </Panel>
      )}
      <Panel title="Conditions" id="conditions" loading={state.loading && !patient} errors={errorsAt(errors, 'patient', 'conditions')} empty={patient && !patient.conditions.length && 'No conditions recorded.'}>
        <table class="conditions">
          <thead><tr><th>Condition</th><th>Status</th><th>Onset</th></tr></thead>
          <tbody>
            {patient?.conditions.map((c) => (
              <tr key={c.id} data-testid="condition-row">
                <td>{c.code.display ?? c.code.code} <code class="muted">{c.code.code}</code></td>
                <td class="nowrap">{c.clinicalStatus ?? ''}</td>
                <td class="nowrap"><DatedValue at={c.onsetAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title={`Medications${patient ? ` (${medications.length} drugs, ${patient.medications.length} orders)` : ''}`} id="medications" loading={state.loading && !patient} errors={errorsAt(errors, 'patient', 'medications')} empty={patient && !patient.medications.length && 'No medications recorded.'}>
        <table class="medications">
          <thead><tr><th>Drug</th><th>Status</th><th class="num">Orders</th><th>First</th><th>Last</th></tr></thead>
          {medications.map((group) => <MedicationGroupRows key={group.key} group={group} />)}
        </table>
      </Panel>
    </>
  );
}

/** A masked identifier shows its last four; Reveal asks the API for the whole value, which the hub audits. */
function IdentifierRow({ patientId, identifier }: { patientId: string; identifier: Identifier }) {
  const [asked, setAsked] = useState(false);
  const reveal = useQuery(RevealIdentifierQuery, { id: patientId, system: identifier.system }, !asked);
  const revealed = reveal.result?.data?.patient?.revealIdentifier;
  const problem = reveal.failure ?? reveal.result?.errors?.map((e) => e.message).join('; ');
  return (
    <tr data-testid="identifier" data-system={identifier.system} data-masked={identifier.masked ? 'true' : 'false'}>
      <td title={identifier.system}>{identifier.label}</td>
      <td>
        <span data-testid="identifier-value">{revealed?.length ? revealed.join(', ') : identifier.value}</span>
        {identifier.masked && !revealed?.length && (
          <>
            {' '}
            <button type="button" class="link" data-testid="reveal-identifier" disabled={asked && reveal.loading} onClick={() => setAsked(true)} title="Shows the whole value; the hub records who revealed it">
              {asked && reveal.loading ? 'revealing…' : 'reveal'}
            </button>
          </>
        )}
        {problem && <span class="error" role="alert"> {problem}</span>}
      </td>
    </tr>
  );
}

/** One drug: its summary row, and on request every order (first prescription and each refill). */
function MedicationGroupRows({ group }: { group: ReturnType<typeof groupMedications<Patient['medications'][number]>>[number] }) {
  const [open, setOpen] = useState(false);
  const many = group.records.length > 1;
  return (
    <tbody class={`medication-group status-${group.status}`} data-testid="medication-group" data-key={group.key}>
      <tr>
        <td>
          {many ? (
            <button type="button" class="link expander" aria-expanded={open ? 'true' : 'false'} data-testid="medication-toggle" onClick={() => setOpen(!open)}>
              {open ? '▾' : '▸'} {group.display}
            </button>
          ) : (
            group.display
          )}
          {group.rxnorm && <code class="muted"> RxNorm {group.rxnorm}</code>}
        </td>
        <td class="nowrap" data-testid="medication-status">{group.status}</td>
        <td class="num" data-testid="medication-count">{group.records.length}</td>
        <td class="nowrap"><DatedValue at={group.first} /></td>
        <td class="nowrap"><DatedValue at={group.last} /></td>
      </tr>
      {open &&
        group.records.map((m) => (
          <tr key={m.id} class="medication-order" data-testid="medication-order">
            <td class="muted">{m.kind === 'STATEMENT' ? 'statement' : 'order'}{m.dosage ? ` · ${m.dosage}` : ''}</td>
            <td class="nowrap muted">{m.status ?? ''}</td>
            <td />
            <td class="nowrap" colSpan={2}><DatedValue at={m.authoredAt} /></td>
          </tr>
        ))}
    </tbody>
  );
}
