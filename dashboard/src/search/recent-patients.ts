/**
 * The patients this browser opened from the home page's search, newest first: for the clinician who
 * comes back to the same few patients all day. Kept in localStorage of this browser only, per signed-in
 * subject (a shared ward computer shows each clinician their own), and holding only what the list shows:
 * the hub id and the name, never identifiers or birth dates. Clearable from the home page.
 */
export interface RecentPatient {
  id: string;
  name: string;
}

export const MAX_RECENT_PATIENTS = 8;
const KEY_PREFIX = 'precision-hub.recent-patients:';

const keyOf = (subject: string) => `${KEY_PREFIX}${subject}`;

/** The storage, if this browser lets the page use it (private modes and policies may not). */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function recentPatients(subject: string, store: Storage | undefined = storage()): RecentPatient[] {
  try {
    const parsed = JSON.parse(store?.getItem(keyOf(subject)) ?? '[]') as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((p): p is RecentPatient => !!p && typeof p === 'object' && typeof (p as RecentPatient).id === 'string' && typeof (p as RecentPatient).name === 'string')
      .map(({ id, name }) => ({ id, name }))
      .slice(0, MAX_RECENT_PATIENTS);
  } catch {
    return [];
  }
}

/** Puts the patient first (once), keeping at most MAX_RECENT_PATIENTS; returns the new list. */
export function rememberPatient(subject: string, patient: RecentPatient, store: Storage | undefined = storage()): RecentPatient[] {
  const list = [{ id: patient.id, name: patient.name }, ...recentPatients(subject, store).filter((p) => p.id !== patient.id)].slice(0, MAX_RECENT_PATIENTS);
  try {
    store?.setItem(keyOf(subject), JSON.stringify(list));
  } catch {
    // Storage full or refused: the list is a convenience, the page works without it.
  }
  return list;
}

export function clearRecentPatients(subject: string, store: Storage | undefined = storage()): void {
  store?.removeItem(keyOf(subject));
}
