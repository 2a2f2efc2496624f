-- The store of the agriculture subgraph: what the project derives from the agriculture source or records.
-- The commune-by-month counts: per commune as of the last day of each month,
-- from 2021-01 to the month of the last refresh. Every indicator figure is read
-- from here (a province or the nation is the sum of its communes).
CREATE TABLE store_agriculture.commune_month_count (
  month          date NOT NULL,
  commune_code   text NOT NULL,
  province_code  text NOT NULL,
  farm_households integer NOT NULL,
  pin_matched integer NOT NULL,
  with_crop_records integer NOT NULL,
  PRIMARY KEY (month, commune_code)
);
CREATE INDEX commune_month_count_province ON store_agriculture.commune_month_count (month, province_code);

-- How far the counts have read each source relation: the highest change_seq
-- seen, when. A refresh reads again from an observation older than its grace
-- period, so that a transaction that committed late is not missed.
CREATE TABLE store_agriculture.refresh_watermark (
  relation     text NOT NULL,
  change_seq   bigint NOT NULL,
  observed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (relation, observed_at)
);

-- One row per load the generator made into the agency's source (provenance).
CREATE TABLE store_agriculture.data_load (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- PIN checks against the population database (npm run reconcile), one row per
-- source record (by its id), with the PIN checked. change_seq tells refreshes
-- which results changed since they last read.
CREATE SEQUENCE store_agriculture.pin_check_seq;
CREATE TABLE store_agriculture.pin_check (
  id          bigint PRIMARY KEY,
  pin         text NOT NULL,
  status      text NOT NULL CHECK (status IN ('MATCHED', 'UNMATCHED')),
  checked_at  timestamptz NOT NULL,
  change_seq  bigint NOT NULL DEFAULT nextval('store_agriculture.pin_check_seq')
);
CREATE INDEX pin_check_change_seq ON store_agriculture.pin_check (change_seq);
CREATE TABLE store_agriculture.seen_pin_check (
  id          bigint PRIMARY KEY,
  status      text,
  checked_at  timestamptz
);

-- One row per reconciliation run. An unfinished run is resumed: records checked
-- before it started are checked again, those checked since are not.
CREATE TABLE store_agriculture.pin_check_run (
  id           bigserial PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  checked      integer NOT NULL DEFAULT 0,
  matched      integer NOT NULL DEFAULT 0
);

-- The source rows as the counts last saw them (only the counted columns).
CREATE TABLE store_agriculture.seen_farm_household (
  id             bigint PRIMARY KEY,
  commune_code   text,
  registered_on  date
);
CREATE TABLE store_agriculture.seen_crop_plot (
  id                 bigint PRIMARY KEY,
  farm_household_id  bigint,
  year               smallint
);
CREATE INDEX seen_crop_plot_farm_household ON store_agriculture.seen_crop_plot (farm_household_id);
