import { useState } from 'preact/hooks';
import { useSessionContext } from '../session-context';
import { BASE } from '../base';

export function HomeView() {
  const { navigate, session } = useSessionContext();
  const [patientId, setPatientId] = useState('');
  const [gene, setGene] = useState('BRAF');
  return (
    <div class="home">
      <h1>Precision Hub dashboard</h1>
      {session?.role === 'researcher' ? (
        <p>As a researcher you see cohort aggregates: <a href={`${BASE}/cohort`}>open the cohort view</a>.</p>
      ) : (
        <form onSubmit={(e) => (e.preventDefault(), patientId.trim() && navigate(`${BASE}/patients/${encodeURIComponent(patientId.trim())}`))}>
          <label>Patient hub id <input value={patientId} onInput={(e) => setPatientId((e.target as HTMLInputElement).value)} placeholder="hub id" /></label>
          <button type="submit">Open Patient 360</button>
        </form>
      )}
      <form onSubmit={(e) => (e.preventDefault(), gene.trim() && navigate(`${BASE}/kg/gene/${encodeURIComponent(gene.trim().toUpperCase())}`))}>
        <label>Gene <input value={gene} onInput={(e) => setGene((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Open knowledge graph</button>
      </form>
    </div>
  );
}
