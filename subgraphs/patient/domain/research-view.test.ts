import { HubError } from '../../../lib/errors';
import { ResearchView } from './research-view';

const key = Buffer.from('unit-test-research-key-0123456789abcdef');
const patient = '3f2a6c1e-8b9d-4e7f-a1b2-c3d4e5f60718';
const other = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('ResearchView', () => {
  const view = new ResearchView(key);

  it('gives each patient a stable pseudonym that does not contain the hub id', () => {
    expect(view.pseudonym(patient)).toBe(view.pseudonym(patient));
    expect(view.pseudonym(patient)).toMatch(/^R-[A-Za-z0-9_-]{22}$/);
    expect(view.pseudonym(patient)).not.toContain(patient.slice(0, 8));
    expect(view.pseudonym(other)).not.toBe(view.pseudonym(patient));
    expect(new ResearchView(Buffer.from('another-deployment-key-0123456789')).pseudonym(patient)).not.toBe(view.pseudonym(patient));
  });

  it('shifts all of one patient’s dates by the same 1–365 days back, keeping intervals', () => {
    const shift = view.dayShift(patient);
    expect(shift).toBeGreaterThanOrEqual(1);
    expect(shift).toBeLessThanOrEqual(365);
    const first = view.shiftedDate(patient, '2024-03-01T08:00:00Z')!;
    const second = view.shiftedDate(patient, '2024-03-11T20:00:00Z')!;
    expect((Date.parse(second) - Date.parse(first)) / 86_400_000).toBe(10);
    expect(Date.parse('2024-03-01') - Date.parse(first)).toBe(shift * 86_400_000);
    expect(view.shiftedDate(patient, null)).toBeNull();
  });

  it('reports ages in whole years, 90 and over as 90 (Safe Harbor)', () => {
    const today = new Date('2026-11-29T12:00:00Z');
    expect(ResearchView.ageYears('1960-11-30', today)).toBe(65);
    expect(ResearchView.ageYears('1960-11-29', today)).toBe(66);
    expect(ResearchView.ageYears('1931-01-01', today)).toBe(90);
    expect(ResearchView.ageYears('1920-06-01', today)).toBe(90);
    expect(ResearchView.ageYears(null, today)).toBeNull();
  });

  it('round-trips a cursor that reveals nothing, and refuses a forged one', () => {
    const cursor = view.encodeCursor(patient);
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(patient.slice(0, 8));
    expect(view.decodeCursor(cursor)).toBe(patient);
    const forged = Buffer.from(cursor, 'base64url');
    forged.writeUInt8(forged.readUInt8(forged.length - 1) ^ 1, forged.length - 1);
    expect(() => view.decodeCursor(forged.toString('base64url'))).toThrow(HubError);
    expect(() => view.decodeCursor('cGF0aWVudDp4')).toThrow('is not a cursor returned by researchCohort');
  });
});
