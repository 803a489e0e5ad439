export type Route =
  | { view: 'home' }
  | { view: 'patient'; patientId: string }
  | { view: 'cohort'; query: URLSearchParams }
  | { view: 'knowledgeGraph'; kind: 'gene' | 'variant'; id: string };

/** `/dashboard/patients/<id>`, `/dashboard/cohort?ageMin=…`, `/dashboard/kg/gene/<symbol>`, `/dashboard/kg/variant/<id>`. */
export function route(pathAndQuery: string, base: string): Route {
  const url = new URL(pathAndQuery, 'http://dashboard.invalid');
  const parts = url.pathname.slice(base.length).split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'patients' && parts[1]) return { view: 'patient', patientId: parts[1] };
  if (parts[0] === 'cohort') return { view: 'cohort', query: url.searchParams };
  if (parts[0] === 'kg' && (parts[1] === 'gene' || parts[1] === 'variant') && parts[2]) return { view: 'knowledgeGraph', kind: parts[1], id: parts[2] };
  return { view: 'home' };
}
