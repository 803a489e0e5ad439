import { HubError } from '../../lib/errors';

/** `CODE: message` of the HubError `work` rejects with; fails when it resolves or rejects with anything else. */
export async function refusalOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof HubError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a refusal');
}
