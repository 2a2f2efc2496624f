import type { Database } from '../../platform/database/database.js';

/**
 * Tests written before the store read and wrote the agencies' relations under
 * per-agency schemas (population.citizen, civil_service.civil_servant with its
 * pin_check_status, population.administrative_unit ...). In the test databases,
 * where the sources and the store share one database, these names stay as
 * views over the source schema and the store, so that such tests still read
 * (and, through triggers, write) the same rows. Subgraphs never see them: the
 * role they connect as may read only the source schema. New tests should name
 * the source relations (search_path) and the store schemas instead.
 */
export async function createLegacyNames(admin: Database, sourceSchema: string): Promise<void> {
  const s = sourceSchema;
  const plain: Record<string, readonly string[]> = {
    population: ['household', 'citizen'],
    civil_service: ['agency', 'rank'],
    agriculture: ['crop_plot', 'livestock'],
    health: ['facility', 'health_record', 'encounter'],
  };
  const checked = (relation: string, store: string, pin: string) => `
    CREATE VIEW ${store.replace('store_', '')}.${relation} AS
      SELECT r.*, CASE WHEN c.pin = trim(r.${pin}) THEN c.status ELSE 'UNCHECKED' END AS pin_check_status,
             CASE WHEN c.pin = trim(r.${pin}) THEN c.checked_at END AS pin_checked_at
        FROM ${s}.${relation} r LEFT JOIN ${store}.pin_check c ON c.id = r.id;
    CREATE FUNCTION ${store.replace('store_', '')}.${relation}_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      source_row ${s}.${relation};
    BEGIN
      source_row := jsonb_populate_record(NULL::${s}.${relation}, to_jsonb(NEW) - 'pin_check_status' - 'pin_checked_at' - 'change_seq');
      source_row.change_seq := nextval('${s}.change_seq');
      INSERT INTO ${s}.${relation} SELECT source_row.*;
      IF NEW.pin_check_status IN ('MATCHED', 'UNMATCHED') THEN
        INSERT INTO ${store}.pin_check (id, pin, status, checked_at) VALUES (NEW.id, trim(NEW.${pin}), NEW.pin_check_status, NEW.pin_checked_at);
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER ${relation}_insert INSTEAD OF INSERT ON ${store.replace('store_', '')}.${relation}
      FOR EACH ROW EXECUTE FUNCTION ${store.replace('store_', '')}.${relation}_insert();`;
  const statements = [
    ...Object.keys(plain).map((schema) => `CREATE SCHEMA IF NOT EXISTS ${schema}`),
    ...Object.entries(plain).flatMap(([schema, relations]) =>
      relations.map((relation) => `CREATE VIEW ${schema}.${relation} AS SELECT * FROM ${s}.${relation}`),
    ),
    checked('civil_servant', 'store_civil_service', 'pin'),
    checked('farm_household', 'store_agriculture', 'head_pin'),
    `CREATE VIEW population.administrative_unit AS SELECT * FROM store_population.administrative_unit`,
    ...['population', 'civil_service', 'agriculture', 'health'].map(
      (schema) => `CREATE VIEW ${schema}.data_load AS SELECT * FROM store_${schema}.data_load`,
    ),
  ];
  for (const statement of statements) await admin.query(statement);
}
