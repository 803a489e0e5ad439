import crypto from 'node:crypto';
import { ErrorCode, HubError } from '../../../lib/errors';

/**
 * De-identified views of patients for research (HIPAA Safe Harbor, 45 CFR §164.514(b)(2)): no names,
 * identifiers or exact dates. Patients appear under a keyed pseudonym (HMAC-SHA256 of the hub id:
 * stable across queries so records can be followed over time, not reversible without the key); ages
 * are whole years with 90 and over pooled as 90 (§164.514(b)(2)(i)(C)); dates are shifted by a
 * per-patient offset of 1–365 days into the past, the same for all of one patient's dates, so
 * intervals between their events are kept but no date is real.
 */
export const AGE_CEILING = 90;
const DAY_MS = 86_400_000;

export class ResearchView {
  private readonly pseudonymKey: Buffer;
  private readonly cursorKey: Buffer;

  /** `key`: a secret of this deployment (derived from the internal secret, never sent anywhere). */
  constructor(key: Buffer) {
    this.pseudonymKey = crypto.createHmac('sha256', key).update('pseudonym').digest();
    this.cursorKey = crypto.createHmac('sha256', key).update('cursor').digest();
  }

  pseudonym(patientId: string): string {
    return `R-${crypto.createHmac('sha256', this.pseudonymKey).update(patientId).digest('base64url').slice(0, 22)}`;
  }

  /** Days this patient's dates move back: 1–365, derived from the pseudonym key. */
  dayShift(patientId: string): number {
    const digest = crypto.createHmac('sha256', this.pseudonymKey).update(`shift:${patientId}`).digest();
    return 1 + (digest.readUInt32BE(0) % 365);
  }

  /** The date (YYYY-MM-DD) of an ISO instant or date, moved back by the patient's shift. */
  shiftedDate(patientId: string, isoDateOrInstant: string | null): string | null {
    if (!isoDateOrInstant) return null;
    const time = Date.parse(isoDateOrInstant);
    if (Number.isNaN(time)) return null;
    return new Date(time - this.dayShift(patientId) * DAY_MS).toISOString().slice(0, 10);
  }

  /** Whole years at `today`; 90 and over reported as 90. */
  static ageYears(birthDate: string | null, today: Date = new Date()): number | null {
    if (!birthDate) return null;
    const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
    let age = today.getUTCFullYear() - year;
    if (today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day)) age -= 1;
    return Math.min(age, AGE_CEILING);
  }

  /**
   * Research pages are addressed by an encrypted cursor (AES-256-GCM of the last hub id seen): the
   * page order follows hub ids, which must not leak through a cursor a client can decode.
   */
  encodeCursor(patientId: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.cursorKey, iv);
    const sealed = Buffer.concat([cipher.update(patientId, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  decodeCursor(cursor: string): string {
    try {
      const raw = Buffer.from(cursor, 'base64url');
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.cursorKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `after: "${cursor}" is not a cursor returned by researchCohort`, { field: 'after' });
    }
  }
}
