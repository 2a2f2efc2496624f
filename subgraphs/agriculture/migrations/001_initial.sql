-- Agriculture database (Ministry of Agriculture and Environment).
CREATE TABLE agriculture.farm_household (
  id                bigint PRIMARY KEY,
  head_pin          char(12) NOT NULL UNIQUE CHECK (head_pin ~ '^[0-9]{12}$'),
  -- The commune where the household registered its farm, as recorded then.
  commune_code      text NOT NULL CHECK (commune_code ~ '^[0-9]{5}$'),
  registered_on     date NOT NULL,
  area_hectares     numeric(10, 2) NOT NULL CHECK (area_hectares >= 0),
  pin_check_status  text NOT NULL DEFAULT 'UNCHECKED' CHECK (pin_check_status IN ('UNCHECKED', 'MATCHED', 'UNMATCHED')),
  pin_checked_at    timestamptz,
  CHECK ((pin_check_status = 'UNCHECKED') = (pin_checked_at IS NULL))
);
CREATE INDEX farm_household_commune ON agriculture.farm_household (commune_code, registered_on);

CREATE TABLE agriculture.crop_plot (
  id                 bigint PRIMARY KEY,
  farm_household_id  bigint NOT NULL REFERENCES agriculture.farm_household (id),
  crop               text NOT NULL,
  area_hectares      numeric(10, 2) NOT NULL CHECK (area_hectares > 0),
  season             text NOT NULL CHECK (season IN ('WINTER_SPRING', 'SUMMER_AUTUMN', 'MAIN', 'PERENNIAL')),
  year               smallint NOT NULL
);
CREATE INDEX crop_plot_farm_household ON agriculture.crop_plot (farm_household_id, year);

CREATE TABLE agriculture.livestock (
  id                 bigint PRIMARY KEY,
  farm_household_id  bigint NOT NULL REFERENCES agriculture.farm_household (id),
  species            text NOT NULL CHECK (species IN ('PIG', 'BUFFALO', 'CATTLE', 'CHICKEN', 'DUCK', 'GOAT')),
  headcount          integer NOT NULL CHECK (headcount > 0),
  year               smallint NOT NULL
);
CREATE INDEX livestock_farm_household ON agriculture.livestock (farm_household_id, year);

CREATE TABLE agriculture.data_load (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
