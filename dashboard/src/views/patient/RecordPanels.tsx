import { useMemo } from 'preact/hooks';
import type { QueryState } from '../../graphql/hooks';
import { errorsAt } from '../../graphql/client';
import type { DashboardPatientRecordQuery } from '../../gql/graphql';
import { Panel, date } from '../../components/Panel';
import { TimeSeriesChart } from '../../components/TimeSeriesChart';

type Observation = NonNullable<DashboardPatientRecordQuery['patient']>['observations'][number];

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

export function RecordPanels({ state }: { state: QueryState<DashboardPatientRecordQuery> }) {
  const patient = state.result?.data?.patient;
  const errors = state.result?.errors;
  const observations = useMemo(() => summariseObservations(patient?.observations ?? []), [patient?.observations]);
  return (
    <>
      <Panel title="Patient" id="demographics" loading={state.loading && !patient} errors={errorsAt(errors, 'patient', 'name')}>
        {patient && (
          <dl class="facts">
            <dt>Hub id</dt>
            <dd><code>{patient.id}</code></dd>
            <dt>Born</dt>
            <dd>{patient.birthDate ?? 'not recorded'}</dd>
            <dt>Sex</dt>
            <dd>{patient.sex?.toLowerCase() ?? 'not recorded'}</dd>
            <dt>Race</dt>
            <dd>{patient.race?.toLowerCase().replace(/_/g, ' ') ?? 'not recorded'}</dd>
            {patient.identifiers.map((identifier) => (
              <>
                <dt title={identifier.system}>{identifier.system.split(/[:/]/).filter(Boolean).pop()}</dt>
                <dd>{identifier.value}</dd>
              </>
            ))}
          </dl>
        )}
      </Panel>
      <Panel title="Latest vitals and labs" id="observations" loading={state.loading && !patient} errors={errorsAt(errors, 'patient', 'observations')} empty={patient && !observations.latest.length && 'No observations recorded.'}>
        <table>
          <thead>
            <tr><th>LOINC</th><th>Observation</th><th class="num">Value</th><th>Unit</th><th>Date</th></tr>
          </thead>
          <tbody>
            {observations.latest.map((o) => (
              <tr key={o.code}>
                <td><code>{o.code}</code></td>
                <td>{o.display}</td>
                <td class="num">{o.value ?? o.valueCode?.display ?? o.valueCode?.code ?? '—'}</td>
                <td>{o.unit ?? ''}</td>
                <td>{date(o.effectiveAt)}</td>
              </tr>
            ))}
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
        <ul>
          {patient?.conditions.map((c) => (
            <li key={c.id}>
              {c.code.display ?? c.code.code} <code>{c.code.code}</code> <span class="muted">{c.clinicalStatus ?? ''}{c.onsetAt ? ` since ${date(c.onsetAt)}` : ''}</span>
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Medications" id="medications" loading={state.loading && !patient} errors={errorsAt(errors, 'patient', 'medications')} empty={patient && !patient.medications.length && 'No medications recorded.'}>
        <ul>
          {patient?.medications.map((m) => (
            <li key={m.id}>
              {m.code.display ?? m.code.code} <span class="muted">{m.status ?? ''}{m.dosage ? ` · ${m.dosage}` : ''}{m.authoredAt ? ` · ${date(m.authoredAt)}` : ''}</span>
            </li>
          ))}
        </ul>
      </Panel>
    </>
  );
}
