-- Up Migration
-- The outbox pipeline (subgraphs/inference/events/outbox-consumer.ts, protocol in its header).

-- The lease on a group's cursor: which replica is handling the batch after the cursor, until when.
-- A replica claims it in a short transaction, handles the batch outside any transaction, and moves
-- the cursor only if the token is still its own; an expired lease may be taken over by another replica.
ALTER TABLE inference.outbox_cursor
  ADD COLUMN lease_token      uuid,
  ADD COLUMN lease_owner      text,
  ADD COLUMN lease_expires_at timestamptz;

-- Events whose handling failed, waiting for their next attempt (bounded, exponential back-off). The
-- cursor has moved past them; a replica claims due rows with a token and pushes next_attempt_at out
-- by its lease, so a crashed replica's claim lapses on its own.
CREATE TABLE inference.event_retries (
  consumer            text NOT NULL,
  source              text NOT NULL,
  event_id            bigint NOT NULL,
  txid                xid8 NOT NULL,
  topic               text NOT NULL,
  patient_id          uuid NOT NULL,
  payload             jsonb NOT NULL,
  event_created_at    timestamptz NOT NULL,
  attempts            integer NOT NULL CHECK (attempts >= 0),
  last_error          text,
  first_failed_at     timestamptz,
  last_failed_at      timestamptz,
  next_attempt_at     timestamptz NOT NULL,
  claim_token         uuid,
  -- Set when an admin replays a dead letter: the row it came from, and who asked.
  dead_letter_id      bigint,
  replay_requested_by text,
  PRIMARY KEY (consumer, source, event_id)
);
CREATE INDEX event_retries_due_idx ON inference.event_retries (consumer, source, next_attempt_at);

-- Events the pipeline gave up on after its bounded retries (or at once, when they break their
-- contract), with the last error. Admins list and replay them (GraphQL, `npm run events`).
CREATE TABLE inference.event_dead_letters (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer            text NOT NULL,
  source              text NOT NULL,
  event_id            bigint NOT NULL,
  txid                xid8 NOT NULL,
  topic               text NOT NULL,
  patient_id          uuid NOT NULL,
  payload             jsonb NOT NULL,
  event_created_at    timestamptz NOT NULL,
  error               text NOT NULL,
  attempts            integer NOT NULL,
  first_failed_at     timestamptz NOT NULL,
  last_failed_at      timestamptz NOT NULL,
  dead_at             timestamptz NOT NULL DEFAULT now(),
  -- Set while a replay is under way (the event is back in event_retries).
  replay_requested_by text,
  replay_requested_at timestamptz,
  UNIQUE (consumer, source, event_id)
);

-- Every replay and how it ended: a replayed event that succeeds leaves event_dead_letters, and this
-- row says it was there, who replayed it and when.
CREATE TABLE inference.event_replays (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dead_letter_id  bigint NOT NULL,
  consumer        text NOT NULL,
  source          text NOT NULL,
  event_id        bigint NOT NULL,
  topic           text NOT NULL,
  patient_id      uuid NOT NULL,
  requested_by    text NOT NULL,
  requested_at    timestamptz NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  error           text,
  finished_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_replays_dead_letter_idx ON inference.event_replays (dead_letter_id);

-- Down Migration
DROP TABLE inference.event_replays;
DROP TABLE inference.event_dead_letters;
DROP TABLE inference.event_retries;
ALTER TABLE inference.outbox_cursor DROP COLUMN lease_expires_at, DROP COLUMN lease_owner, DROP COLUMN lease_token;
