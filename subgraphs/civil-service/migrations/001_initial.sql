-- National database of cadres, civil servants and public employees (Ministry of Home Affairs).
-- Commune codes are the official codes; this database has no access to the population one.
CREATE TABLE civil_service.agency (
  id             integer PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  level          text NOT NULL CHECK (level IN ('CENTRAL', 'PROVINCE', 'COMMUNE')),
  province_code  text CHECK (province_code ~ '^[0-9]{2}$'),
  commune_code   text CHECK (commune_code ~ '^[0-9]{5}$')
);

-- Civil-servant ranks (ngạch công chức), highest grade first.
CREATE TABLE civil_service.rank (
  code   text PRIMARY KEY,
  name   text NOT NULL,
  grade  smallint NOT NULL
);

CREATE TABLE civil_service.civil_servant (
  id                         bigint PRIMARY KEY,
  pin                        char(12) NOT NULL UNIQUE CHECK (pin ~ '^[0-9]{12}$'),
  -- Name, birth date and sex as this agency recorded them.
  full_name                  text NOT NULL,
  birth_date                 date NOT NULL,
  sex                        text NOT NULL CHECK (sex IN ('MALE', 'FEMALE')),
  agency_id                  integer NOT NULL REFERENCES civil_service.agency (id),
  rank_code                  text NOT NULL REFERENCES civil_service.rank (code),
  workplace_commune_code     text NOT NULL CHECK (workplace_commune_code ~ '^[0-9]{5}$'),
  hired_on                   date NOT NULL,
  left_on                    date CHECK (left_on >= hired_on),
  digital_skills_trained_on  date,
  -- Last check of the PIN against the population database (task 18).
  pin_check_status           text NOT NULL DEFAULT 'UNCHECKED' CHECK (pin_check_status IN ('UNCHECKED', 'MATCHED', 'UNMATCHED')),
  pin_checked_at             timestamptz,
  CHECK ((pin_check_status = 'UNCHECKED') = (pin_checked_at IS NULL))
);
CREATE INDEX civil_servant_workplace ON civil_service.civil_servant (workplace_commune_code, hired_on);
CREATE INDEX civil_servant_agency ON civil_service.civil_servant (agency_id);

CREATE TABLE civil_service.data_load (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
