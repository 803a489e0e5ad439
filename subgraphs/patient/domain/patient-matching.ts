import jaroWinkler from 'talisman/metrics/jaro-winkler';
import doubleMetaphone from 'talisman/phonetics/double-metaphone';

/**
 * Deterministic record linkage for patients arriving from different sources with different MRNs.
 * Blocking on birth date and sex, then agreement on name (Jaro-Winkler similarity, or the same
 * Double Metaphone code for spelling variants such as Katherine/Catherine) and on a contact field
 * (phone or address). Weights follow the usual Fellegi–Sunter intuition (Fellegi & Sunter, JASA
 * 1969;64:1183-1210): rarer agreements (birth date, phone) weigh more than common ones (sex).
 */
export interface Demographics {
  name: string;
  birthDate: string | null;
  sex: string | null;
  phone: string | null;
  address: { line?: string[]; postalCode?: string | null; city?: string | null } | null;
}

export interface PatientMatch {
  /** 0–1; a link needs every part of the rule, and then scores at least LINK_THRESHOLD. */
  score: number;
  /** Which agreements linked them, e.g. `name+birthDate+sex+phone`. */
  rule: string;
}

export const LINK_THRESHOLD = 0.85;
const WEIGHTS = { birthDate: 0.3, sex: 0.1, family: 0.2, given: 0.15, phone: 0.15, address: 0.1 };
const FAMILY_MIN = 0.92;
const GIVEN_MIN = 0.85;

/** Lower case, no diacritics, no digits (Synthea appends numbers to names), no punctuation. */
export function normaliseName(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z\s'-]/g, ' ')
    .replace(/['-]/g, '')
    .split(/\s+/)
    .filter(Boolean);
}

function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const similarity = jaroWinkler(a, b);
  const [pa] = doubleMetaphone(a);
  const [pb] = doubleMetaphone(b);
  return pa && pa === pb ? Math.max(similarity, 0.95) : similarity;
}

function givenSimilarity(a: string, b: string): number {
  // An initial agrees with the name it abbreviates ("J" and "John").
  if ((a.length === 1 || b.length === 1) && a[0] === b[0]) return 0.9;
  return nameSimilarity(a, b);
}

const lastTen = (phone: string | null) => (phone ? phone.replace(/\D/g, '').slice(-10) : '');
/** House numbers matter here, unlike in names: keep digits, drop case, accents and punctuation. */
const normaliseAddressLine = (line: string) =>
  line.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
const addressKey = (address: Demographics['address']) =>
  address?.postalCode && address.line?.[0] ? `${address.postalCode.slice(0, 5)}|${normaliseAddressLine(address.line[0])}` : '';

export function matchPatients(a: Demographics, b: Demographics): PatientMatch | null {
  if (!a.birthDate || a.birthDate !== b.birthDate || !a.sex || a.sex !== b.sex) return null;
  const nameA = normaliseName(a.name);
  const nameB = normaliseName(b.name);
  if (!nameA.length || !nameB.length) return null;
  const family = nameSimilarity(nameA.at(-1)!, nameB.at(-1)!);
  const given = givenSimilarity(nameA[0]!, nameB[0]!);
  if (family < FAMILY_MIN || given < GIVEN_MIN) return null;
  const phone = lastTen(a.phone).length === 10 && lastTen(a.phone) === lastTen(b.phone);
  const address = addressKey(a.address) !== '' && addressKey(a.address) === addressKey(b.address);
  if (!phone && !address) return null;
  const score =
    WEIGHTS.birthDate + WEIGHTS.sex + WEIGHTS.family * family + WEIGHTS.given * given + (phone ? WEIGHTS.phone : 0) + (address ? WEIGHTS.address : 0);
  if (score < LINK_THRESHOLD) return null;
  const contact = [phone ? 'phone' : '', address ? 'address' : ''].filter(Boolean).join('+');
  return { score: Math.round(score * 1000) / 1000, rule: `name+birthDate+sex+${contact}` };
}
