CREATE TABLE clients (
  client_id   text PRIMARY KEY,
  brand_id    text NOT NULL,
  secret_hash text NOT NULL,
  scopes      text[] NOT NULL DEFAULT '{}',
  partner     boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id      text NOT NULL,
  email         text NOT NULL,
  first_name    text,
  last_name     text,
  date_of_birth date,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (brand_id, email)
);

CREATE TABLE identity_audit (
  id         bigserial PRIMARY KEY,
  brand_id   text NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  subject_id text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON clients, users TO identity_app;
GRANT SELECT, INSERT ON identity_audit TO identity_app;
