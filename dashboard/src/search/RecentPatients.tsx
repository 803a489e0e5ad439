import { BASE } from '../base';
import type { RecentPatient } from './recent-patients';

/** The patients this browser opened from the search, newest first, with a way to forget them. */
export function RecentPatients({ patients, onClear, onOpen }: { patients: RecentPatient[]; onClear(): void; onOpen(patient: RecentPatient): void }) {
  if (!patients.length) return null;
  return (
    <section class="recent-patients" data-testid="recent-patients" aria-label="Recent patients">
      <h2>
        Recent patients <span class="muted">(this browser only)</span>
        <button type="button" class="link" onClick={onClear}>Clear</button>
      </h2>
      <ul>
        {patients.map((patient) => (
          <li key={patient.id}>
            <a href={`${BASE}/patients/${encodeURIComponent(patient.id)}`} onClick={(e) => (e.preventDefault(), onOpen(patient))}>
              {patient.name}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
