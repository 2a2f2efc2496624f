-- One row per reconciliation of this agency's PINs against the population
-- database (npm run reconcile). An unfinished run is resumed: records checked
-- before it started are checked again, those checked since are not.
CREATE TABLE agriculture.pin_check_run (
  id           bigserial PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  checked      integer NOT NULL DEFAULT 0,
  matched      integer NOT NULL DEFAULT 0
);
