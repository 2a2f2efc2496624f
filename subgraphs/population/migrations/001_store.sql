-- The store of the population subgraph: what the project derives from the population source or ships.
-- The commune-by-month counts: per commune as of the last day of each month,
-- from 2021-01 to the month of the last refresh. Every indicator figure is read
-- from here (a province or the nation is the sum of its communes).
CREATE TABLE store_population.commune_month_count (
  month          date NOT NULL,
  commune_code   text NOT NULL,
  province_code  text NOT NULL,
  residents integer NOT NULL,
  residents_14_plus integer NOT NULL,
  households integer NOT NULL,
  eid_level2 integer NOT NULL,
  eid_activated integer NOT NULL,
  PRIMARY KEY (month, commune_code)
);
CREATE INDEX commune_month_count_province ON store_population.commune_month_count (month, province_code);

-- How far the counts have read each source relation: the highest change_seq
-- seen, when. A refresh reads again from an observation older than its grace
-- period, so that a transaction that committed late is not missed.
CREATE TABLE store_population.refresh_watermark (
  relation     text NOT NULL,
  change_seq   bigint NOT NULL,
  observed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (relation, observed_at)
);

-- One row per load the generator made into the agency's source (provenance).
CREATE TABLE store_population.data_load (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- The source rows as the counts last saw them (only the counted columns): a
-- changed row's old contribution is taken from here before its new one is added.
CREATE TABLE store_population.seen_household (
  id             bigint PRIMARY KEY,
  commune_code   text,
  registered_on  date
);
CREATE TABLE store_population.seen_citizen (
  pin                     text PRIMARY KEY,
  residence_commune_code  text,
  birth_date              date,
  died_on                 date,
  vneid_level             smallint,
  vneid_activated_on      date
);

-- The official administrative units in force since 2025-07-01 (reference data
-- shipped in platform/administrative-units/, upserted after every migration).
CREATE TABLE store_population.administrative_unit (
  code          text PRIMARY KEY CHECK (code ~ '^([0-9]{2}|[0-9]{5})$'),
  level         text NOT NULL CHECK (level IN ('PROVINCE', 'COMMUNE')),
  parent_code   text REFERENCES store_population.administrative_unit (code),
  name          text NOT NULL,
  full_name     text NOT NULL,
  name_en       text NOT NULL,
  full_name_en  text NOT NULL,
  unit_type     text NOT NULL,
  unit_type_en  text NOT NULL,
  CHECK ((level = 'PROVINCE') = (parent_code IS NULL))
);
CREATE INDEX administrative_unit_parent ON store_population.administrative_unit (parent_code, code);
