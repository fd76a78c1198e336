CREATE TABLE experiments (
  id         text NOT NULL,
  brand_id   text NOT NULL,
  flag_key   text NOT NULL,
  variants   text[] NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (brand_id, id)
);

CREATE TABLE experiment_assignments (
  brand_id      text NOT NULL,
  experiment_id text NOT NULL,
  subject_id    text NOT NULL,
  variant       text NOT NULL,
  assigned_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (brand_id, experiment_id, subject_id)
);

GRANT SELECT, INSERT, UPDATE ON experiments TO labs_app;
GRANT SELECT, INSERT ON experiment_assignments TO labs_app;
