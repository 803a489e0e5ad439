import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Pool } from './postgres';
import type { Identity } from './identity';

/** Shared by every service that serves identified data; each applies it on start (schema `audit`). */
export const AUDIT_MIGRATIONS = path.join(__dirname, 'audit-migrations');
export const AUDIT_SCHEMA = 'audit';

/** Headers the gateway adds to every subgraph request so audit records name the client's operation. */
export const OPERATION_HEADER = 'x-hub-operation';
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A request id a client may choose: at most 128 characters of `[A-Za-z0-9._:-]` (UUIDs, W3C trace
 * ids, the usual `<service>:<n>` forms). Anything else is replaced by a generated one before it is
 * echoed, logged or stored in the audit log, so a client cannot write arbitrary text there.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const isSafeRequestId = (value: string | null | undefined): value is string => typeof value === 'string' && REQUEST_ID_PATTERN.test(value);

/** The request id to record: the one sent when it is safe, a new UUID when it is not, none when none was sent. */
export function boundedRequestId(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return isSafeRequestId(value) ? value : randomUUID();
}

export interface RequestMeta {
  operation?: string;
  requestId?: string;
}

/**
 * The identified fields one request read, per patient. Resolvers record as they resolve
 * (lib/authorization.ts); the service writes them all before the response leaves.
 */
export class AccessRecorder {
  private readonly reads = new Map<string, Set<string>>();

  constructor(
    readonly identity: Identity,
    readonly meta: RequestMeta = {},
  ) {}

  record(patientId: string, field: string): void {
    let fields = this.reads.get(patientId);
    if (!fields) this.reads.set(patientId, (fields = new Set()));
    fields.add(field);
  }

  get isEmpty(): boolean {
    return this.reads.size === 0;
  }

  entries(): { patientId: string; fields: string[] }[] {
    return [...this.reads].map(([patientId, fields]) => ({ patientId, fields: [...fields].sort() }));
  }
}

export interface AccessRecord {
  at: string;
  service: string;
  subject: string;
  role: string;
  client: string;
  patientId: string;
  fields: string[];
  operation: string | null;
  requestId: string | null;
}

const INSERT_ACCESS = `
  INSERT INTO audit.access_log (service, subject, role, client, patient_id, fields, operation, request_id)
  SELECT $1, r.subject, r.role, r.client, r.patient_id, string_to_array(r.fields, ','), r.operation, r.request_id
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
    AS r(subject, role, client, patient_id, fields, operation, request_id)`;

const TRAIL = `
  SELECT at, service, subject, role, client, patient_id, fields, operation, request_id
  FROM audit.access_log WHERE patient_id = $1 ORDER BY at DESC, id DESC LIMIT $2`;

/** The append-only access log in PostgreSQL (migration: lib/audit-migrations). */
export class AccessLog {
  constructor(
    private readonly pool: Pool,
    private readonly service: string,
  ) {}

  /** Requests whose records wait for the next commit, and the one under way. */
  private waiting: { recorder: AccessRecorder; settle: (error?: unknown) => void }[] = [];
  private flushing = false;

  /**
   * Resolves once the request's records are committed; rejects if they could not be (the caller then
   * withholds the data). Group commit: requests arriving while one commit is under way share the next
   * one — one INSERT and one WAL flush for all of them instead of one each, which is what an audit
   * write per request costs under load (a commit waits for fsync).
   */
  write(recorder: AccessRecorder): Promise<void> {
    if (recorder.isEmpty) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ recorder, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length) {
      const batch = this.waiting;
      this.waiting = [];
      const rows = batch.flatMap(({ recorder }) => recorder.entries().map((entry) => ({ entry, identity: recorder.identity, meta: recorder.meta })));
      const column = <T>(read: (row: (typeof rows)[number]) => T) => rows.map(read);
      try {
        await this.pool.query(INSERT_ACCESS, [
          this.service,
          column((r) => r.identity.subject),
          column((r) => r.identity.role),
          column((r) => r.identity.client),
          column((r) => r.entry.patientId),
          column((r) => r.entry.fields.join(',')),
          column((r) => r.meta.operation ?? null),
          column((r) => r.meta.requestId ?? null),
        ]);
        for (const { settle } of batch) settle();
      } catch (error) {
        for (const { settle } of batch) settle(error);
      }
    }
    this.flushing = false;
  }

  async trail(patientId: string, first: number): Promise<AccessRecord[]> {
    const { rows } = await this.pool.query<{
      at: Date;
      service: string;
      subject: string;
      role: string;
      client: string;
      patient_id: string;
      fields: string[];
      operation: string | null;
      request_id: string | null;
    }>(TRAIL, [patientId, first]);
    return rows.map((r) => ({
      at: r.at.toISOString(),
      service: r.service,
      subject: r.subject,
      role: r.role,
      client: r.client,
      patientId: r.patient_id,
      fields: r.fields,
      operation: r.operation,
      requestId: r.request_id,
    }));
  }
}
