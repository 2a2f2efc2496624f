import { schemaName, type Agency } from '../../platform/agencies.js';
import type { DatabaseSession } from '../../platform/database/database.js';

/**
 * The demo agencies' databases as the generator makes them: the source
 * contract (docs/source-contract.md) as tables in the source schema, with what
 * incremental refresh reads: a `change_seq` on every counted relation, set from
 * one sequence on insert and on every update, and a deletion log per agency
 * (`<agency>_deletion`) that a trigger fills. A real agency gives the same
 * relations as views over its own tables. `generator_load` marks the schema
 * as the generator's: the seed writes only where it finds it (or nothing).
 */
const shared = (s: string) => `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE SEQUENCE IF NOT EXISTS ${s}.change_seq;
CREATE TABLE IF NOT EXISTS ${s}.generator_load (
  id          bigserial PRIMARY KEY,
  agency      text NOT NULL,
  parameters  jsonb NOT NULL DEFAULT '{}',
  row_counts  jsonb NOT NULL DEFAULT '{}',
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION ${s}.next_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_seq := nextval('${s}.change_seq');
  RETURN NEW;
END $$;
-- TG_ARGV: the deletion log, the key column.
CREATE OR REPLACE FUNCTION ${s}.log_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('INSERT INTO ${s}.%I (relation, key) VALUES ($1, $2)', TG_ARGV[0]) USING TG_TABLE_NAME, to_jsonb(OLD) ->> TG_ARGV[1];
  RETURN OLD;
END $$;
`;

/** The relations of each agency, as CREATE statements (the schema is `s`). */
const tables: Record<Agency, (s: string) => string> = {
  population: (s) => `
CREATE TABLE ${s}.household (
  id             bigint PRIMARY KEY,
  commune_code   text NOT NULL CHECK (commune_code ~ '^[0-9]{5}$'),
  registered_on  date NOT NULL,
  change_seq     bigint NOT NULL DEFAULT nextval('${s}.change_seq')
);
CREATE INDEX household_commune ON ${s}.household (commune_code);
CREATE TABLE ${s}.citizen (
  pin                     char(12) PRIMARY KEY CHECK (pin ~ '^[0-9]{12}$'),
  full_name               text NOT NULL,
  birth_date              date NOT NULL,
  sex                     text NOT NULL CHECK (sex IN ('MALE', 'FEMALE')),
  residence_commune_code  text NOT NULL CHECK (residence_commune_code ~ '^[0-9]{5}$'),
  household_id            bigint NOT NULL REFERENCES ${s}.household (id),
  is_household_head       boolean NOT NULL,
  registered_on           date NOT NULL,
  died_on                 date CHECK (died_on >= birth_date),
  vneid_level             smallint CHECK (vneid_level IN (1, 2)),
  vneid_activated_on      date,
  change_seq              bigint NOT NULL DEFAULT nextval('${s}.change_seq'),
  CHECK ((vneid_level IS NULL) = (vneid_activated_on IS NULL))
);
CREATE INDEX citizen_residence ON ${s}.citizen (residence_commune_code, birth_date);
CREATE INDEX citizen_household ON ${s}.citizen (household_id);`,
  'civil-service': (s) => `
CREATE TABLE ${s}.agency (
  id             integer PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  level          text NOT NULL CHECK (level IN ('CENTRAL', 'PROVINCE', 'COMMUNE')),
  province_code  text CHECK (province_code ~ '^[0-9]{2}$'),
  commune_code   text CHECK (commune_code ~ '^[0-9]{5}$')
);
CREATE TABLE ${s}.rank (
  code   text PRIMARY KEY,
  name   text NOT NULL,
  grade  smallint NOT NULL
);
CREATE TABLE ${s}.civil_servant (
  id                         bigint PRIMARY KEY,
  pin                        char(12) NOT NULL UNIQUE CHECK (pin ~ '^[0-9]{12}$'),
  full_name                  text NOT NULL,
  birth_date                 date NOT NULL,
  sex                        text NOT NULL CHECK (sex IN ('MALE', 'FEMALE')),
  agency_id                  integer NOT NULL REFERENCES ${s}.agency (id),
  rank_code                  text NOT NULL REFERENCES ${s}.rank (code),
  workplace_commune_code     text NOT NULL CHECK (workplace_commune_code ~ '^[0-9]{5}$'),
  hired_on                   date NOT NULL,
  left_on                    date CHECK (left_on >= hired_on),
  digital_skills_trained_on  date,
  change_seq                 bigint NOT NULL DEFAULT nextval('${s}.change_seq')
);
CREATE INDEX civil_servant_workplace ON ${s}.civil_servant (workplace_commune_code, hired_on);
CREATE INDEX civil_servant_agency ON ${s}.civil_servant (agency_id);
CREATE INDEX civil_servant_commune_listing ON ${s}.civil_servant (workplace_commune_code, id);`,
  agriculture: (s) => `
CREATE TABLE ${s}.farm_household (
  id                bigint PRIMARY KEY,
  head_pin          char(12) NOT NULL UNIQUE CHECK (head_pin ~ '^[0-9]{12}$'),
  commune_code      text NOT NULL CHECK (commune_code ~ '^[0-9]{5}$'),
  registered_on     date NOT NULL,
  area_hectares     numeric(10, 2) NOT NULL CHECK (area_hectares >= 0),
  change_seq        bigint NOT NULL DEFAULT nextval('${s}.change_seq')
);
CREATE INDEX farm_household_commune_listing ON ${s}.farm_household (commune_code, id);
CREATE TABLE ${s}.crop_plot (
  id                 bigint PRIMARY KEY,
  farm_household_id  bigint NOT NULL REFERENCES ${s}.farm_household (id),
  crop               text NOT NULL,
  area_hectares      numeric(10, 2) NOT NULL CHECK (area_hectares > 0),
  season             text NOT NULL CHECK (season IN ('WINTER_SPRING', 'SUMMER_AUTUMN', 'MAIN', 'PERENNIAL')),
  year               smallint NOT NULL,
  change_seq         bigint NOT NULL DEFAULT nextval('${s}.change_seq')
);
CREATE INDEX crop_plot_farm_household ON ${s}.crop_plot (farm_household_id, year);
CREATE TABLE ${s}.livestock (
  id                 bigint PRIMARY KEY,
  farm_household_id  bigint NOT NULL REFERENCES ${s}.farm_household (id),
  species            text NOT NULL CHECK (species IN ('PIG', 'BUFFALO', 'CATTLE', 'CHICKEN', 'DUCK', 'GOAT')),
  headcount          integer NOT NULL CHECK (headcount > 0),
  year               smallint NOT NULL
);
CREATE INDEX livestock_farm_household ON ${s}.livestock (farm_household_id, year);`,
  health: (s) => `
CREATE TABLE ${s}.facility (
  id             integer PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  level          text NOT NULL CHECK (level IN ('CENTRAL', 'PROVINCE', 'COMMUNE')),
  province_code  text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  commune_code   text NOT NULL CHECK (commune_code ~ '^[0-9]{5}$')
);
CREATE TABLE ${s}.health_record (
  id            bigint PRIMARY KEY,
  pin           char(12) NOT NULL UNIQUE CHECK (pin ~ '^[0-9]{12}$'),
  commune_code  text NOT NULL CHECK (commune_code ~ '^[0-9]{5}$'),
  created_on    date NOT NULL,
  facility_id   integer NOT NULL REFERENCES ${s}.facility (id),
  change_seq    bigint NOT NULL DEFAULT nextval('${s}.change_seq')
);
CREATE INDEX health_record_commune_listing ON ${s}.health_record (commune_code, id);
CREATE TABLE ${s}.encounter (
  id                bigint PRIMARY KEY,
  health_record_id  bigint NOT NULL REFERENCES ${s}.health_record (id),
  occurred_on       date NOT NULL,
  facility_id       integer NOT NULL REFERENCES ${s}.facility (id),
  icd10_code        text NOT NULL CHECK (icd10_code ~ '^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,2})?$'),
  change_seq        bigint NOT NULL DEFAULT nextval('${s}.change_seq')
);
CREATE INDEX encounter_record ON ${s}.encounter (health_record_id, occurred_on);`,
};

/** The counted relations of each agency with their key: each gets a change_seq trigger, an index on it, and its deletions logged. */
export const countedRelations: Record<Agency, ReadonlyArray<{ relation: string; key: string }>> = {
  population: [
    { relation: 'household', key: 'id' },
    { relation: 'citizen', key: 'pin' },
  ],
  'civil-service': [{ relation: 'civil_servant', key: 'id' }],
  agriculture: [
    { relation: 'farm_household', key: 'id' },
    { relation: 'crop_plot', key: 'id' },
  ],
  health: [
    { relation: 'health_record', key: 'id' },
    { relation: 'encounter', key: 'id' },
  ],
};

/** The relation that logs an agency's deletions, e.g. civil_service_deletion. */
export const deletionRelation = (agency: Agency) => `${schemaName(agency)}_deletion`;

function changeTracking(s: string, agency: Agency): string {
  const log = deletionRelation(agency);
  return [
    `CREATE TABLE ${s}.${log} (
       relation    text NOT NULL,
       key         text NOT NULL,
       change_seq  bigint NOT NULL DEFAULT nextval('${s}.change_seq'),
       deleted_at  timestamptz NOT NULL DEFAULT now());`,
    `CREATE INDEX ${log}_change_seq ON ${s}.${log} (change_seq);`,
    ...countedRelations[agency].flatMap(({ relation, key }) => [
      `CREATE INDEX ${relation}_change_seq ON ${s}.${relation} (change_seq);`,
      `CREATE TRIGGER ${relation}_change_seq BEFORE UPDATE ON ${s}.${relation} FOR EACH ROW EXECUTE FUNCTION ${s}.next_change_seq();`,
      `CREATE TRIGGER ${relation}_deletion AFTER DELETE ON ${s}.${relation} FOR EACH ROW EXECUTE FUNCTION ${s}.log_deletion('${log}', '${key}');`,
    ]),
  ].join('\n');
}

/**
 * Creates the agency's relations in schema `s` unless they are there already
 * (its first relation tells), with their change tracking.
 */
export async function createSourceRelations(session: DatabaseSession, s: string, agency: Agency): Promise<void> {
  await session.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${s}.generator`]);
  await session.query(shared(s));
  const first = countedRelations[agency][0]!.relation;
  const [found] = await session.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${s}.${first}`]);
  if (found!.exists) return;
  await session.query(tables[agency](s));
  await session.query(changeTracking(s, agency));
}
