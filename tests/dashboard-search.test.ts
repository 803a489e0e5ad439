/** The home page search box (issue 21), as pure functions: what the typed text asks for, and the recent-patients list. */
import { searchFilter } from '../dashboard/src/search/search-terms';
import { clearRecentPatients, MAX_RECENT_PATIENTS, recentPatients, rememberPatient } from '../dashboard/src/search/recent-patients';


describe("the home page's search box", () => {
  it('reads words as the name, a date as the birth date and a word with digits as an identifier', () => {
    expect(searchFilter('  müll ')).toEqual({ name: 'müll' });
    expect(searchFilter('anna müller 1958-03-02')).toEqual({ name: 'anna müller', birthDate: '1958-03-02' });
    expect(searchFilter('2.3.1958 anna')).toEqual({ name: 'anna', birthDate: '1958-03-02' });
    expect(searchFilter('02/03/1958')).toEqual({ birthDate: '1958-03-02' });
    expect(searchFilter('MRN-12345')).toEqual({ identifier: 'MRN-12345' });
  });

  it('has nothing to search for in blank text', () => {
    expect(searchFilter('   ')).toBeNull();
  });
});

/** localStorage's interface over a Map (jest runs in node, without a browser's storage). */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear = () => this.items.clear();
  getItem = (key: string) => this.items.get(key) ?? null;
  key = (index: number) => [...this.items.keys()][index] ?? null;
  removeItem = (key: string) => void this.items.delete(key);
  setItem = (key: string, value: string) => void this.items.set(key, value);
}

describe('recent patients of this browser', () => {
  it('lists the newest first, each once, at most eight, per signed-in subject', () => {
    const store = new MemoryStorage();
    for (let n = 1; n <= 10; n++) rememberPatient('dr-a', { id: `id-${n}`, name: `Patient ${n}` }, store);
    rememberPatient('dr-a', { id: 'id-5', name: 'Patient 5' }, store);
    expect(recentPatients('dr-a', store).map((p) => p.id)).toEqual(['id-5', 'id-10', 'id-9', 'id-8', 'id-7', 'id-6', 'id-4', 'id-3']);
    expect(recentPatients('dr-a', store)).toHaveLength(MAX_RECENT_PATIENTS);
    expect(recentPatients('dr-b', store)).toEqual([]);
  });

  it('keeps only the hub id and the name, and forgets them when cleared', () => {
    const store = new MemoryStorage();
    rememberPatient('dr-a', { id: 'id-1', name: 'Anna Müller', birthDate: '1958-03-02' } as never, store);
    expect(JSON.parse(store.getItem('precision-hub.recent-patients:dr-a')!)).toEqual([{ id: 'id-1', name: 'Anna Müller' }]);
    clearRecentPatients('dr-a', store);
    expect(recentPatients('dr-a', store)).toEqual([]);
  });

  it('ignores what it cannot read', () => {
    const store = new MemoryStorage();
    store.setItem('precision-hub.recent-patients:dr-a', '{not json');
    expect(recentPatients('dr-a', store)).toEqual([]);
    store.setItem('precision-hub.recent-patients:dr-a', JSON.stringify([{ id: 1 }, { id: 'x', name: 'Ok' }]));
    expect(recentPatients('dr-a', store)).toEqual([{ id: 'x', name: 'Ok' }]);
  });
});
