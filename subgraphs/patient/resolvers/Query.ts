import { ErrorCode, HubError } from '../../../lib/errors';
import type { PatientContext } from '../context';

export const MAX_PAGE_SIZE = 100;

export const encodeCursor = (id: string): string => Buffer.from(`patient:${id}`).toString('base64url');

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('patient:')) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `after: "${cursor}" is not a cursor returned by patients`, { field: 'after' });
  }
  return decoded.slice('patient:'.length);
}

export const Query = {
  patient: (_: unknown, args: { id: string }, ctx: PatientContext) => ctx.loaders.patient.load(args.id),

  async patients(
    _: unknown,
    args: { filter?: { identifier?: string | null } | null; first?: number | null; after?: string | null },
    ctx: PatientContext,
  ) {
    const first = args.first ?? 20;
    if (first < 0 || first > MAX_PAGE_SIZE) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${first} is outside 0..${MAX_PAGE_SIZE}`, { field: 'first' });
    }
    const afterId = args.after ? decodeCursor(args.after) : null;
    const page = await ctx.repository.listPatients(args.filter ?? {}, first, afterId);
    for (const patient of page.patients) ctx.loaders.patient.prime(patient.id, patient);
    const edges = page.patients.map((node) => ({ cursor: encodeCursor(node.id), node }));
    return {
      totalCount: page.totalCount,
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  },
};
