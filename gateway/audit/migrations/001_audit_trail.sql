-- The audit trail of reads of personal data. Append-only: rows cannot be
-- updated, deleted or truncated through SQL while the triggers stand, and each
-- row's hash covers its content and the previous row's hash, so a change made
-- around the triggers (by a superuser) breaks the chain that
-- `npm run audit:verify` recomputes.
CREATE TABLE audit.access_record (
  sequence bigint PRIMARY KEY CHECK (sequence > 0),
  recorded_at timestamptz NOT NULL,
  subject text NOT NULL,
  agency text,
  purpose text,
  operation_name text,
  operation_hash text NOT NULL,
  pins text[] NOT NULL,
  fields text[] NOT NULL,
  request_id text NOT NULL,
  previous_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);
CREATE INDEX access_record_recorded_at ON audit.access_record (recorded_at);
CREATE INDEX access_record_subject ON audit.access_record (subject, sequence);
CREATE INDEX access_record_pins ON audit.access_record USING gin (pins);

-- One row: the end of the chain. Appenders lock it, so records from several
-- gateway replicas join one chain in one order.
CREATE TABLE audit.chain_head (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  sequence bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit.chain_head (sequence, hash) VALUES (0, repeat('0', 64));

CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER access_record_append_only BEFORE UPDATE OR DELETE ON audit.access_record FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER access_record_no_truncate BEFORE TRUNCATE ON audit.access_record FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
