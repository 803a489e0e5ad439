import { announce, decodeEvent, EventContractError, GenomicsTopic, OUTBOXES, PatientTopic, type OutboxWriter } from './events';

/** Records the statements a producer's transaction would run. */
function recordingClient(): OutboxWriter & { statements: Array<{ text: string; values: unknown[] | undefined }> } {
  const statements: Array<{ text: string; values: unknown[] | undefined }> = [];
  return {
    statements,
    async query(text: string, values?: unknown[]) {
      statements.push({ text, values });
      return { rowCount: 1 };
    },
  };
}

describe('announce', () => {
  it('writes the event to its outbox and notifies the outbox channel, in the caller transaction', async () => {
    const client = recordingClient();
    await announce(client, 'patient.outbox', PatientTopic.OBSERVATION_ADDED, 'p-1', { observationId: 'o-1', code: '2093-3' });
    // One statement: the event row and the notification (named by its topic) in one round trip.
    expect(client.statements).toHaveLength(1);
    expect(client.statements[0]!.values).toEqual(['patient.observation.added', 'p-1', { observationId: 'o-1', code: '2093-3' }, 'patient_outbox']);
    expect(client.statements[0]!.text).toContain('INSERT INTO patient.outbox (topic, patient_id, payload) VALUES ($1, $2, $3) RETURNING topic');
    expect(client.statements[0]!.text).toContain('SELECT pg_notify($4, topic) FROM event');
  });

  it('writes a genomics event to the genomics outbox and wakes its channel', async () => {
    const client = recordingClient();
    await announce(client, 'genomics.outbox', GenomicsTopic.VARIANTS_CHANGED, 'p-2', { variants: 3, sample: null });
    expect(client.statements.map((s) => s.values)).toEqual([['genomics.variants.changed', 'p-2', { variants: 3, sample: null }, OUTBOXES['genomics.outbox'].channel]]);
    expect(client.statements[0]!.text).toContain('INSERT INTO genomics.outbox');
  });

  it('refuses a topic that the named outbox does not carry, before writing anything', async () => {
    const client = recordingClient();
    // A caller that bypasses the compiler (the type allows only patient topics for patient.outbox).
    const wrongTopic = GenomicsTopic.VARIANTS_CHANGED as unknown as typeof PatientTopic.OBSERVATION_ADDED;
    await expect(announce(client, 'patient.outbox', wrongTopic, 'p-1', { observationId: 'o-1', code: 'x' })).rejects.toThrow(
      new EventContractError(
        'event for patient p-1 announced to patient.outbox: topic "genomics.variants.changed" is not one patient.outbox publishes (patient.observation.added, patient.records.ingested, patient.device-observations.ingested, patient.consent.changed, patient.unlinked)',
      ),
    );
    expect(client.statements).toEqual([]);
  });

  it('refuses a payload that breaks its contract, naming the field, before writing anything', async () => {
    const client = recordingClient();
    const payload = JSON.parse('{"created": -1, "updated": 0}') as { created: number; updated: number };
    await expect(announce(client, 'patient.outbox', PatientTopic.RECORDS_INGESTED, 'p-3', payload)).rejects.toThrow(
      'event for patient p-3 announced to patient.outbox (patient.records.ingested): payload.created is -1; it must be a non-negative integer',
    );
    expect(client.statements).toEqual([]);
  });
});

describe('decodeEvent', () => {
  it('narrows a stored event that keeps its contract', () => {
    expect(decodeEvent('patient.outbox', '7', 'patient.consent.changed', { granted: false })).toEqual({ topic: 'patient.consent.changed', payload: { granted: false } });
  });

  it('refuses a topic from another outbox and a payload missing a field', () => {
    expect(() => decodeEvent('genomics.outbox', '8', 'patient.unlinked', { linkId: 'l' })).toThrow(EventContractError);
    expect(() => decodeEvent('patient.outbox', '9', 'patient.unlinked', {})).toThrow('event 9 in patient.outbox (patient.unlinked): payload.linkId is missing; it must be a non-empty string');
  });
});
