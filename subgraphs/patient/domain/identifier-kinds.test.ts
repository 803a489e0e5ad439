import { identifierKind, maskIdentifierValue, readableSystem, recordedIdentifierType } from './identifier-kinds';

describe('identifier kinds', () => {
  it("names and masks the identifiers of a real Synthea 3.3.0 patient (Ken316's bundle)", () => {
    expect(identifierKind('http://hl7.org/fhir/sid/us-ssn', 'SS')).toEqual({ typeCode: 'SS', label: 'Social Security number (US)', masked: true });
    expect(identifierKind('http://hl7.org/fhir/sid/passport-USA', 'PPN')).toEqual({ typeCode: 'PPN', label: 'Passport number (USA)', masked: true });
    expect(identifierKind('urn:oid:2.16.840.1.113883.4.3.25', 'DL')).toEqual({ typeCode: 'DL', label: "Driver's license number (Massachusetts)", masked: true });
    expect(identifierKind('http://hospital.smarthealthit.org', 'MR')).toEqual({ typeCode: 'MR', label: 'Medical record number (hospital.smarthealthit.org)', masked: false });
    expect(identifierKind('https://github.com/synthetichealth/synthea')).toEqual({ typeCode: null, label: 'github.com/synthetichealth/synthea', masked: false });
  });

  it('knows a registered system without a recorded type, and lets the system win over a contradicting type', () => {
    expect(identifierKind('urn:oid:2.16.840.1.113883.4.1')).toMatchObject({ typeCode: 'SS', masked: true });
    expect(identifierKind('http://hl7.org/fhir/sid/us-ssn', 'MR')).toMatchObject({ typeCode: 'SS', masked: true });
    expect(identifierKind('urn:oid:2.16.840.1.113883.4.3.99')).toEqual({ typeCode: 'DL', label: "Driver's license number (state FIPS 99)", masked: true });
  });

  it('masks an unregistered system by its recorded type', () => {
    expect(identifierKind('urn:example:national-id', 'NI')).toEqual({ typeCode: 'NI', label: 'National unique individual identifier (urn:example:national-id)', masked: true });
  });

  it('shows the last four letters and digits and keeps separators', () => {
    expect(maskIdentifierValue('999-94-4896')).toBe('•••-••-4896');
    expect(maskIdentifierValue('X88771587X')).toBe('••••••587X');
    expect(maskIdentifierValue('S99989826')).toBe('•••••9826');
    expect(maskIdentifierValue('1234')).toBe('••••');
  });

  it('reads a v2-0203 type from a FHIR Identifier.type and ignores other systems', () => {
    expect(recordedIdentifierType({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] })).toBe('MR');
    expect(recordedIdentifierType({ coding: [{ system: 'urn:other', code: 'MR' }] })).toBeNull();
    expect(recordedIdentifierType(undefined)).toBeNull();
  });

  it('shows an OID as an OID and a URL without its scheme', () => {
    expect(readableSystem('urn:oid:1.2.3')).toBe('OID 1.2.3');
    expect(readableSystem('urn:test:mrn')).toBe('urn:test:mrn');
  });
});
