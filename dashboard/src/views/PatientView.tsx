import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Route } from '../routes';
import { useQuery } from '../graphql/hooks';
import { subscribe } from '../graphql/client';
import { useSessionContext } from '../session-context';
import { FindingsUpdatedSubscription, PatientDecisionsQuery, PatientGenomicsQuery, PatientRecordQuery, PatientRiskQuery, RiskUpdatedSubscription } from '../graphql/operations';
import type { CardiovascularRiskFragment, MedicationAlertItemFragment } from '../gql/graphql';
import { RecordPanels } from './patient/RecordPanels';
import { RiskPanel } from './patient/RiskPanel';
import { GenomicsPanels } from './patient/GenomicsPanels';
import { DecisionPanels } from './patient/DecisionPanels';
import { LiveStatus } from '../components/LiveStatus';
import { PageError } from '../components/PageError';
import { freshnessByCode } from './patient/summaries';

/**
 * Patient 360: four queries, one per owning subgraph, so that a subgraph that is down empties only its
 * panels; risk and medication alerts then follow riskUpdated / findingsUpdated over graphql-ws.
 */
export function PatientView({ route }: { route: Route }) {
  const id = route.view === 'patient' ? route.patientId : '';
  const { live } = useSessionContext();
  const record = useQuery(PatientRecordQuery, { id });
  const genomics = useQuery(PatientGenomicsQuery, { id });
  const risk = useQuery(PatientRiskQuery, { id });
  const decisions = useQuery(PatientDecisionsQuery, { id });
  const [liveRisk, setLiveRisk] = useState<{ risk: CardiovascularRiskFragment; at: string; reason: string }>();
  const [liveAlerts, setLiveAlerts] = useState<{ alerts: MedicationAlertItemFragment[]; at: string; reason: string }>();
  const [liveError, setLiveError] = useState<string>();

  useEffect(() => {
    setLiveRisk(undefined);
    setLiveAlerts(undefined);
    if (!live) return;
    const stopRisk = subscribe(live, RiskUpdatedSubscription, { id }, (d) => setLiveRisk({ risk: d.riskUpdated.risk.cardiovascular, at: d.riskUpdated.computedAt, reason: d.riskUpdated.reason }), setLiveError);
    const stopFindings = subscribe(live, FindingsUpdatedSubscription, { id }, (d) => setLiveAlerts({ alerts: d.findingsUpdated.medicationAlerts, at: d.findingsUpdated.computedAt, reason: d.findingsUpdated.reason }), setLiveError);
    return () => {
      stopRisk();
      stopFindings();
    };
  }, [live, id]);

  const patient = record.result?.data?.patient;
  // The risk model's maximum ages, as the API states them for the values it read (live updates included).
  const datedInputs = (liveRisk?.risk ?? risk.result?.data?.patient?.risk?.cardiovascular)?.datedInputs;
  const freshness = useMemo(() => freshnessByCode(datedInputs ?? [], patient?.observations ?? []), [datedInputs, patient?.observations]);
  const complete = !!patient && [genomics, risk, decisions].every((q) => !q.loading);
  usePaintMark('patient-record-painted', !!patient);
  usePaintMark('patient-360-painted', complete);

  if (record.failure) return <PageError title="The patient record could not be loaded" message={record.failure} />;
  if (!record.loading && record.result && !patient) {
    const errors = record.result.errors ?? [];
    return errors.length ? (
      <PageError title={`Patient ${id} could not be loaded`} message={errors.map((e) => e.message).join('; ')} />
    ) : (
      <PageError title="No such patient" message={`No patient with id “${id}” exists in the hub. Check the id in the address.`} testId="unknown-patient" />
    );
  }
  return (
    <div class="patient" data-testid="patient-page">
      <div class="page-title">
        <h1 data-testid="patient-name">{patient ? patient.name : 'Loading patient…'}</h1>
        <LiveStatus error={liveError} />
      </div>
      <div class="grid">
        <RecordPanels state={record} freshness={freshness} />
        <RiskPanel patientId={id} state={risk} live={liveRisk} />
        <DecisionPanels state={decisions} live={liveAlerts} />
        <GenomicsPanels state={genomics} />
      </div>
    </div>
  );
}

/**
 * A User Timing mark once `ready` first holds and the browser has painted it (the next frame's
 * callback runs after the paint that showed it): bench/dashboard.bench.ts reads these.
 */
function usePaintMark(name: string, ready: boolean) {
  const marked = useRef(false);
  useEffect(() => {
    if (!ready || marked.current) return;
    marked.current = true;
    requestAnimationFrame(() => setTimeout(() => performance.mark(name), 0));
  }, [ready, name]);
}
