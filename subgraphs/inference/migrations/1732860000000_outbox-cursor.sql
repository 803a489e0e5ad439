-- Up Migration
-- Where each consumer group has read up to in each outbox, in (txid, id) order. One row per
-- (consumer, source); replicas share it, so an event is handled once whichever replica is up.
CREATE TABLE inference.outbox_cursor (
  consumer    text NOT NULL,
  source      text NOT NULL,
  last_txid   xid8 NOT NULL,
  last_id     bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, source)
);

-- Down Migration
DROP TABLE inference.outbox_cursor;
