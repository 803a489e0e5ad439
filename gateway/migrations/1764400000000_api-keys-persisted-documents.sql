-- Up Migration
-- Partner API keys: only the SHA-256 of a key is kept (a leaked table opens nothing); the key itself
-- is shown once, when it is created (`npm run apikey -- create`). Revoked keys stay, for the record.
CREATE TABLE api_keys (
  id          bigserial PRIMARY KEY,
  key_sha256  text NOT NULL UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
  client      text NOT NULL CHECK (client <> ''),
  role        text NOT NULL DEFAULT 'partner' CHECK (role = 'partner'),
  contracts   text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Trusted documents: each document once, keyed by the SHA-256 of its text (so the key proves the text).
CREATE TABLE persisted_documents (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Which client's manifest lists which document. A partner's contracts name manifests (clients);
-- publishing adds documents and never removes one, so a client's older releases keep working.
CREATE TABLE manifest_documents (
  manifest        text NOT NULL CHECK (manifest <> ''),
  sha256          text NOT NULL REFERENCES persisted_documents (sha256),
  operation_name  text,
  operation_type  text NOT NULL CHECK (operation_type IN ('query', 'mutation', 'subscription')),
  published_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (manifest, sha256)
);
CREATE INDEX manifest_documents_sha256 ON manifest_documents (sha256);

-- One row per `npm run pq -- publish`: what was published for which client, when, in which format.
CREATE TABLE manifest_publications (
  id            bigserial PRIMARY KEY,
  manifest      text NOT NULL,
  format        text NOT NULL,
  documents     integer NOT NULL,
  added         integer NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now()
);
