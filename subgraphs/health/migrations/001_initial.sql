-- Electronic health records (Ministry of Health).
CREATE TABLE health.facility (
  id             integer PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  level          text NOT NULL CHECK (level IN ('CENTRAL', 'PROVINCE', 'COMMUNE')),
  province_code  text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  commune_code   text NOT NULL CHECK (commune_code ~ '^[0-9]{5}$')
);

CREATE TABLE health.health_record (
  id            bigint PRIMARY KEY,
  pin           char(12) NOT NULL UNIQUE CHECK (pin ~ '^[0-9]{12}$'),
  -- The holder's commune as the health system recorded it when the record was made.
  commune_code  text NOT NULL CHECK (commune_code ~ '^[0-9]{5}$'),
  created_on    date NOT NULL,
  facility_id   integer NOT NULL REFERENCES health.facility (id)
);
CREATE INDEX health_record_commune ON health.health_record (commune_code, created_on);

CREATE TABLE health.encounter (
  id                bigint PRIMARY KEY,
  health_record_id  bigint NOT NULL REFERENCES health.health_record (id),
  occurred_on       date NOT NULL,
  facility_id       integer NOT NULL REFERENCES health.facility (id),
  icd10_code        text NOT NULL CHECK (icd10_code ~ '^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$')
);
CREATE INDEX encounter_record ON health.encounter (health_record_id, occurred_on);

CREATE TABLE health.data_load (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
