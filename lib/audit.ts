import path from 'node:path';
import type { Pool } from './postgres';
import type { Identity } from './identity';

/** Shared by every service that serves identified data; each applies it on start (schema `audit`). */
export const AUDIT_MIGRATIONS = path.join(__dirname, 'audit-migrations');
export const AUDIT_SCHEMA = 'audit';

/** Headers the gateway adds to every subgraph request so audit records name the client's operation. */
export const OPERATION_HEADER = 'x-hub-operation';
export const REQUEST_ID_HEADER = 'x-request-id';

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
  SELECT $1, $2, $3, $4, r.patient_id, string_to_array(r.fields, ','), $5, $6
  FROM unnest($7::text[], $8::text[]) AS r(patient_id, fields)`;

const TRAIL = `
  SELECT at, service, subject, role, client, patient_id, fields, operation, request_id
  FROM audit.access_log WHERE patient_id = $1 ORDER BY at DESC, id DESC LIMIT $2`;

/** The append-only access log in PostgreSQL (migration: lib/audit-migrations). */
export class AccessLog {
  constructor(
    private readonly pool: Pool,
    private readonly service: string,
  ) {}

  /** One statement for the whole request: all of its records land, or none and the caller fails. */
  async write(recorder: AccessRecorder): Promise<void> {
    if (recorder.isEmpty) return;
    const entries = recorder.entries();
    const { identity, meta } = recorder;
    await this.pool.query(INSERT_ACCESS, [
      this.service,
      identity.subject,
      identity.role,
      identity.client,
      meta.operation ?? null,
      meta.requestId ?? null,
      entries.map((e) => e.patientId),
      entries.map((e) => e.fields.join(',')),
    ]);
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
