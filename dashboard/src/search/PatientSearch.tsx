import { useEffect, useState } from 'preact/hooks';
import { useQuery } from '../graphql/hooks';
import { PatientSearchQuery } from '../graphql/search';
import { searchFilter } from './search-terms';

/** Wait this long after the last key before asking the hub: one request per pause, not per letter. */
export const SEARCH_DEBOUNCE_MS = 250;
const RESULTS = 10;

export interface SearchResult {
  id: string;
  name: string;
  birthDate?: string | null;
  sex?: string | null;
}

/**
 * The home page's patient search: a combobox (WAI-ARIA 1.2 pattern) over Query.patients. Arrow keys
 * move through the results, Enter opens the one chosen, Escape clears the box.
 */
export function PatientSearch({ onOpen }: { onOpen(patient: SearchResult): void }) {
  const [text, setText] = useState('');
  const [debounced, setDebounced] = useState('');
  const [active, setActive] = useState(-1);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(text), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const filter = searchFilter(debounced);
  const { loading, result, failure } = useQuery(PatientSearchQuery, { filter: filter ?? {}, first: RESULTS }, !filter);
  const results: SearchResult[] = filter ? (result?.data?.patients.edges.map((e) => e.node) ?? []) : [];
  const more = !!filter && !!result?.data?.patients.pageInfo.hasNextPage;
  const error = filter ? (failure ?? result?.errors?.map((e) => e.message).join('; ')) : undefined;
  useEffect(() => setActive(-1), [debounced, result]);
  const settled = text === debounced && !loading;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' && results.length) {
      event.preventDefault();
      setActive((a) => (a + 1) % results.length);
    } else if (event.key === 'ArrowUp' && results.length) {
      event.preventDefault();
      setActive((a) => (a <= 0 ? results.length - 1 : a - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = results[active];
      if (chosen) onOpen(chosen);
    } else if (event.key === 'Escape') {
      setText('');
    }
  };

  return (
    <div class="patient-search">
      <label for="patient-search-input">Find a patient</label>
      <input
        id="patient-search-input"
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded={results.length > 0}
        aria-controls="patient-search-results"
        aria-activedescendant={active >= 0 ? `patient-search-result-${active}` : undefined}
        placeholder="Name, birth date (YYYY-MM-DD or DD.MM.YYYY) or MRN"
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
      />
      {error ? <p class="error" data-testid="search-error">{error}</p> : null}
      {filter && settled && !error && !results.length ? <p class="empty" data-testid="search-empty">No patient of yours matches “{debounced.trim()}”.</p> : null}
      <ul id="patient-search-results" role="listbox" aria-label="Matching patients" class="search-results" data-testid="search-results">
        {results.map((patient, index) => (
          <li
            key={patient.id}
            id={`patient-search-result-${index}`}
            role="option"
            aria-selected={index === active}
            class={index === active ? 'active' : undefined}
            onMouseDown={(e) => (e.preventDefault(), onOpen(patient))}
          >
            <span class="name">{patient.name}</span>
            <span class="muted">{[patient.birthDate, patient.sex?.toLowerCase()].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
      {more ? <p class="muted">More patients match: type more of the name, or add the birth date.</p> : null}
    </div>
  );
}
