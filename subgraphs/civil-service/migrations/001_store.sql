-- The store of the civil-service subgraph: what the project derives from the civil-service source or records.
-- The commune-by-month counts: per commune as of the last day of each month,
-- from 2021-01 to the month of the last refresh. Every indicator figure is read
-- from here (a province or the nation is the sum of its communes).
CREATE TABLE store_civil_service.commune_month_count (
  month          date NOT NULL,
  commune_code   text NOT NULL,
  province_code  text NOT NULL,
  in_service integer NOT NULL,
  in_service_trained integer NOT NULL,
  in_service_pin_matched integer NOT NULL,
  PRIMARY KEY (month, commune_code)
);
CREATE INDEX commune_month_count_province ON store_civil_service.commune_month_count (month, province_code);

-- How far the counts have read each source relation: the highest change_seq
-- seen, when. A refresh reads again from an observation older than its grace
-- period, so that a transaction that committed late is not missed.
CREATE TABLE store_civil_service.refresh_watermark (
  relation     text NOT NULL,
  change_seq   bigint NOT NULL,
  observed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (relation, observed_at)
);

-- One row per load the generator made into the agency's source (provenance).
CREATE TABLE store_civil_service.data_load (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- PIN checks against the population database (npm run reconcile), one row per
-- source record (by its id), with the PIN checked. change_seq tells refreshes
-- which results changed since they last read.
CREATE SEQUENCE store_civil_service.pin_check_seq;
CREATE TABLE store_civil_service.pin_check (
  id          bigint PRIMARY KEY,
  pin         text NOT NULL,
  status      text NOT NULL CHECK (status IN ('MATCHED', 'UNMATCHED')),
  checked_at  timestamptz NOT NULL,
  change_seq  bigint NOT NULL DEFAULT nextval('store_civil_service.pin_check_seq')
);
CREATE INDEX pin_check_change_seq ON store_civil_service.pin_check (change_seq);
CREATE TABLE store_civil_service.seen_pin_check (
  id          bigint PRIMARY KEY,
  status      text,
  checked_at  timestamptz
);

-- One row per reconciliation run. An unfinished run is resumed: records checked
-- before it started are checked again, those checked since are not.
CREATE TABLE store_civil_service.pin_check_run (
  id           bigserial PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  checked      integer NOT NULL DEFAULT 0,
  matched      integer NOT NULL DEFAULT 0
);

-- The source rows as the counts last saw them (only the counted columns).
CREATE TABLE store_civil_service.seen_civil_servant (
  id                         bigint PRIMARY KEY,
  workplace_commune_code     text,
  hired_on                   date,
  left_on                    date,
  digital_skills_trained_on  date
);
