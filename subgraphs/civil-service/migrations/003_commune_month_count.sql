-- Counts per commune as of the last day of each month, from 2021-01 to the
-- month of the last refresh: every indicator figure is read from here (a
-- province or the nation is the sum of its communes), never from a scan of
-- people. Rebuilt whenever data are loaded or corrected.
CREATE TABLE civil_service.commune_month_count (
  month          date NOT NULL,
  commune_code   text NOT NULL,
  province_code  text NOT NULL,
  in_service integer NOT NULL,
  in_service_trained integer NOT NULL,
  in_service_pin_matched integer NOT NULL,
  PRIMARY KEY (month, commune_code)
);
CREATE INDEX commune_month_count_province ON civil_service.commune_month_count (month, province_code);
