import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * A bundle of tests/fixtures/synthea with every UUID replaced by a fresh one, so that runs never share a
 * patient; `organisation` puts the patient in that organisation's care (clinician access).
 */
export function freshSyntheaBundle(file: string, organisation?: string): { resourceType: 'Bundle'; entry: { resource: Record<string, unknown> }[] } {
  const fresh = new Map<string, string>();
  const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'synthea', file), 'utf8');
  const bundle = JSON.parse(text.replace(UUID, (u) => fresh.get(u) ?? (fresh.set(u, randomUUID()), fresh.get(u)!)));
  if (organisation) {
    for (const { resource } of bundle.entry) if (resource.resourceType === 'Patient') resource.managingOrganization = { reference: `Organization/${organisation}` };
  }
  return bundle;
}
