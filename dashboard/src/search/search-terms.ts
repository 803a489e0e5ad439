/**
 * What a clinician types into the home page's search box, as Query.patients' filter: words are the
 * name, a date is the birth date (2024-01-31, or 31.01.2024 and 31/01/2024 as written on forms), a word
 * with a digit in it is an identifier (an MRN such as A-12345). Nothing to search for: null.
 */
export interface SearchFilter {
  name?: string;
  birthDate?: string;
  identifier?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_FIRST_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/;

function asIsoDate(word: string): string | null {
  if (ISO_DATE.test(word)) return word;
  const match = DAY_FIRST_DATE.exec(word);
  return match ? `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}` : null;
}

export function searchFilter(text: string): SearchFilter | null {
  const filter: SearchFilter = {};
  const nameWords: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const date = asIsoDate(word);
    if (date && !filter.birthDate) filter.birthDate = date;
    else if (/\d/.test(word) && !filter.identifier) filter.identifier = word;
    else nameWords.push(word);
  }
  if (nameWords.length) filter.name = nameWords.join(' ');
  return Object.keys(filter).length ? filter : null;
}
