import { ErrorCode, HubError } from '../../../lib/errors';
import { isOutboxSource, OUTBOX_SOURCES, type OutboxSource } from '../../../lib/contracts/events';
import { isDeadLetterId, MAX_DEAD_LETTERS_PER_PAGE, type DeadLetter, type DeadLetterFilter } from '../events/dead-letters';
import type { InferenceContext } from './context';

/** Only admins reach these resolvers (`@requiresScopes(scopes: [["admin"]])`, lib/authorization.ts). */

const MAX_CONSUMER_LENGTH = 200;

function filterOf(args: { source?: string | null; consumer?: string | null }): DeadLetterFilter {
  if (args.source !== null && args.source !== undefined && !isOutboxSource(args.source)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `source: "${args.source.slice(0, 100)}" is not an outbox (${OUTBOX_SOURCES.join(', ')})`, { field: 'source' });
  }
  if (args.consumer !== null && args.consumer !== undefined && (args.consumer.length === 0 || args.consumer.length > MAX_CONSUMER_LENGTH)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `consumer: give 1 to ${MAX_CONSUMER_LENGTH} characters`, { field: 'consumer' });
  }
  return { source: (args.source ?? undefined) as OutboxSource | undefined, consumer: args.consumer ?? undefined };
}

function checkIds(ids: readonly string[], field: string): void {
  const malformed = ids.filter((id) => !isDeadLetterId(id));
  if (malformed.length) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `${field}: ${malformed.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 40))).join(', ')} ${malformed.length > 1 ? 'are not dead-letter ids' : 'is not a dead-letter id'}`, {
      field,
    });
  }
}

const who = (ctx: InferenceContext) => ({ subject: ctx.identity.subject, role: ctx.identity.role, client: ctx.identity.client });

export const eventDeadLetterQueries = {
  async eventDeadLetters(
    _: unknown,
    args: { source?: string | null; consumer?: string | null; first: number; after?: string | null },
    ctx: InferenceContext,
  ) {
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_DEAD_LETTERS_PER_PAGE) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${args.first} is outside 1..${MAX_DEAD_LETTERS_PER_PAGE}`, { field: 'first' });
    }
    if (args.after !== null && args.after !== undefined) checkIds([args.after], 'after');
    const filter = filterOf(args);
    const page = await ctx.deadLetters.list(filter, args.first, args.after ?? undefined);
    // A dead letter names its patient and carries the event's payload: each listing is audited.
    for (const deadLetter of page.deadLetters) ctx.access?.record(deadLetter.patientId, 'Query.eventDeadLetters');
    ctx.log.info({ ...who(ctx), filter, shown: page.deadLetters.length, totalCount: page.totalCount }, 'dead letters listed');
    return { totalCount: page.totalCount, deadLetters: page.deadLetters, nextAfter: page.hasNextPage ? page.deadLetters.at(-1)!.id : null };
  },
};

export const eventDeadLetterMutations = {
  async replayEventDeadLetters(
    _: unknown,
    args: { ids?: string[] | null; all?: boolean | null; source?: string | null; consumer?: string | null },
    ctx: InferenceContext,
  ) {
    const all = args.all === true;
    const ids = args.ids ?? [];
    if (all === ids.length > 0) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, all ? 'give ids or all: true, not both' : 'give the ids of the dead letters to replay, or all: true', { field: all ? 'ids' : 'all' });
    }
    if (ids.length > MAX_DEAD_LETTERS_PER_PAGE) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `ids: ${ids.length} ids; at most ${MAX_DEAD_LETTERS_PER_PAGE} at once (or all: true)`, { field: 'ids' });
    }
    checkIds(ids, 'ids');
    const filter = filterOf(args);
    const requestedBy = `${ctx.identity.role}:${ctx.identity.subject}`;
    const result = await ctx.deadLetters.replay({ ids: all ? 'all' : ids, filter, requestedBy });
    ctx.log.info(
      { ...who(ctx), filter, all, replayed: result.requested.map((d) => d.id), notFound: result.notFound, alreadyReplaying: result.alreadyReplaying },
      'dead letters replayed',
    );
    return result;
  },
};

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const EventDeadLetter = {
  payload: (d: DeadLetter) => JSON.stringify(d.payload),
  eventCreatedAt: (d: DeadLetter) => iso(d.eventCreatedAt),
  firstFailedAt: (d: DeadLetter) => iso(d.firstFailedAt),
  lastFailedAt: (d: DeadLetter) => iso(d.lastFailedAt),
  deadAt: (d: DeadLetter) => iso(d.deadAt),
  replayRequestedAt: (d: DeadLetter) => iso(d.replayRequestedAt),
  status: (d: DeadLetter) => (d.replayRequestedBy ? 'REPLAYING' : 'DEAD'),
};
