-- National population database (Ministry of Public Security).
-- Codes are the official statistics codes of the hierarchy in force since 2025-07-01.
CREATE TABLE population.administrative_unit (
  code          text PRIMARY KEY CHECK (code ~ '^([0-9]{2}|[0-9]{5})$'),
  level         text NOT NULL CHECK (level IN ('PROVINCE', 'COMMUNE')),
  parent_code   text REFERENCES population.administrative_unit (code),
  name          text NOT NULL,
  full_name     text NOT NULL,
  name_en       text NOT NULL,
  full_name_en  text NOT NULL,
  unit_type     text NOT NULL,   -- Tỉnh, Thành phố, Phường, Xã, Đặc khu
  unit_type_en  text NOT NULL,
  CHECK ((level = 'PROVINCE') = (parent_code IS NULL))
);
CREATE INDEX administrative_unit_parent ON population.administrative_unit (parent_code, code);

CREATE TABLE population.household (
  id             bigint PRIMARY KEY,
  commune_code   text NOT NULL REFERENCES population.administrative_unit (code),
  registered_on  date NOT NULL
);
CREATE INDEX household_commune ON population.household (commune_code);

CREATE TABLE population.citizen (
  -- Personal identification number: 3-digit province of birth registration
  -- (pre-2025 codes 001-096), century/sex digit, 2-digit birth year, 6 digits.
  pin                     char(12) PRIMARY KEY CHECK (pin ~ '^[0-9]{12}$'),
  full_name               text NOT NULL,
  birth_date              date NOT NULL,
  sex                     text NOT NULL CHECK (sex IN ('MALE', 'FEMALE')),
  residence_commune_code  text NOT NULL REFERENCES population.administrative_unit (code),
  household_id            bigint NOT NULL REFERENCES population.household (id),
  is_household_head       boolean NOT NULL,
  registered_on           date NOT NULL,
  died_on                 date CHECK (died_on >= birth_date),
  -- VNeID electronic identity: level 1 or 2, null when never activated.
  vneid_level             smallint CHECK (vneid_level IN (1, 2)),
  vneid_activated_on      date,
  CHECK ((vneid_level IS NULL) = (vneid_activated_on IS NULL))
);
-- Counts per commune as of a date (denominators of every indicator) read these.
CREATE INDEX citizen_residence ON population.citizen (residence_commune_code, birth_date);
CREATE INDEX citizen_household ON population.citizen (household_id);

-- One row per load of data (generator run, import, correction): provenance, and
-- what caches key their invalidation on.
CREATE TABLE population.data_load (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
