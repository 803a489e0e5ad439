import type { GraphQLFormattedError } from 'graphql';
import type { AccessLog, AccessRecorder } from '../audit';
import type { Logger } from '../logger';

/** What a client gets instead of data whose audit record could not be written. */
export const AUDIT_WITHHELD: GraphQLFormattedError = {
  message: 'the audit record for this read could not be written, so its data is withheld',
  extensions: { code: 'DEPENDENCY_UNAVAILABLE' },
};
export const AUDIT_WITHHELD_STATUS = 503;

/**
 * Writes the request's reads of identified data before the response leaves (lib/audit.ts). True when
 * the response may go out; false when the record could not be written, and the adapter must replace
 * the data with AUDIT_WITHHELD (status 503): no identified data leaves unaudited.
 */
export async function auditBeforeResponse(accessLog: AccessLog, access: AccessRecorder | undefined, log: Logger): Promise<boolean> {
  if (!access || access.isEmpty) return true;
  try {
    await accessLog.write(access);
    return true;
  } catch (error) {
    log.error({ err: error }, 'audit record not written; response withheld');
    return false;
  }
}
