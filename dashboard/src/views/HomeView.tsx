import { useState } from 'preact/hooks';
import { useSessionContext } from '../session-context';
import { BASE } from '../base';
import { PatientSearch } from '../search/PatientSearch';
import { RecentPatients } from '../search/RecentPatients';
import { clearRecentPatients, recentPatients, rememberPatient, type RecentPatient } from '../search/recent-patients';

export function HomeView() {
  const { navigate, session } = useSessionContext();
  const [patientId, setPatientId] = useState('');
  const [gene, setGene] = useState('BRAF');
  const subject = session?.subject ?? 'unknown';
  const [recent, setRecent] = useState<RecentPatient[]>(() => recentPatients(subject));
  const openPatient = (id: string) => navigate(`${BASE}/patients/${encodeURIComponent(id)}`);
  const openFromSearch = (patient: RecentPatient) => {
    setRecent(rememberPatient(subject, patient));
    openPatient(patient.id);
  };
  return (
    <div class="home">
      <h1>Precision Hub dashboard</h1>
      {session?.role === 'researcher' ? (
        <p>As a researcher you see cohort aggregates: <a href={`${BASE}/cohort`}>open the cohort view</a>.</p>
      ) : (
        <>
          <PatientSearch onOpen={openFromSearch} />
          <RecentPatients
            patients={recent}
            onOpen={openFromSearch}
            onClear={() => {
              clearRecentPatients(subject);
              setRecent([]);
            }}
          />
          <form onSubmit={(e) => (e.preventDefault(), patientId.trim() && openPatient(patientId.trim()))}>
            <label>Patient hub id <input value={patientId} onInput={(e) => setPatientId((e.target as HTMLInputElement).value)} placeholder="hub id" /></label>
            <button type="submit">Open Patient 360</button>
          </form>
        </>
      )}
      <form onSubmit={(e) => (e.preventDefault(), gene.trim() && navigate(`${BASE}/kg/gene/${encodeURIComponent(gene.trim().toUpperCase())}`))}>
        <label>Gene <input value={gene} onInput={(e) => setGene((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Open knowledge graph</button>
      </form>
    </div>
  );
}
