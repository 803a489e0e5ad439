-- Up Migration
-- Trained risk models: every version kept with its card (training window, features, held-out metrics,
-- subgroup metrics); at most one promoted version per model name answers Patient.risk.learned.
CREATE TABLE inference.risk_models (
  name         text NOT NULL,
  version      text NOT NULL,
  status       text NOT NULL CHECK (status IN ('promoted', 'candidate', 'retired')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  model        jsonb NOT NULL,
  decision     jsonb NOT NULL,
  PRIMARY KEY (name, version)
);
CREATE UNIQUE INDEX risk_models_one_promoted ON inference.risk_models (name) WHERE status = 'promoted';

-- Down Migration
DROP TABLE inference.risk_models;
