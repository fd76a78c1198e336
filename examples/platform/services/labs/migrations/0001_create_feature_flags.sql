-- Flag definitions are global: one row per flag, shared by every brand (waived in service.yaml).
CREATE TABLE feature_flags (
  key             text PRIMARY KEY,
  description     text NOT NULL,
  enabled         boolean NOT NULL DEFAULT false,
  rollout_percent integer NOT NULL DEFAULT 0 CHECK (rollout_percent BETWEEN 0 AND 100),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT ON feature_flags TO labs_app;
