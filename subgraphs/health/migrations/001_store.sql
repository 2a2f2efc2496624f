-- The store of the health subgraph: what the project derives from the health source.
-- The commune-by-month counts: per commune as of the last day of each month,
-- from 2021-01 to the month of the last refresh. Every indicator figure is read
-- from here (a province or the nation is the sum of its communes).
CREATE TABLE store_health.commune_month_count (
  month          date NOT NULL,
  commune_code   text NOT NULL,
  province_code  text NOT NULL,
  records integer NOT NULL,
  active_records_12m integer NOT NULL,
  PRIMARY KEY (month, commune_code)
);
CREATE INDEX commune_month_count_province ON store_health.commune_month_count (month, province_code);

-- How far the counts have read each source relation: the highest change_seq
-- seen, when. A refresh reads again from an observation older than its grace
-- period, so that a transaction that committed late is not missed.
CREATE TABLE store_health.refresh_watermark (
  relation     text NOT NULL,
  change_seq   bigint NOT NULL,
  observed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (relation, observed_at)
);

-- One row per load the generator made into the agency's source (provenance).
CREATE TABLE store_health.data_load (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- The source rows as the counts last saw them (only the counted columns).
CREATE TABLE store_health.seen_health_record (
  id            bigint PRIMARY KEY,
  commune_code  text,
  created_on    date
);
CREATE TABLE store_health.seen_encounter (
  id                bigint PRIMARY KEY,
  health_record_id  bigint,
  occurred_on       date
);
CREATE INDEX seen_encounter_record ON store_health.seen_encounter (health_record_id);
