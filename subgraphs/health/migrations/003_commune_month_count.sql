-- Counts per commune as of the last day of each month, from 2021-01 to the
-- month of the last refresh: every indicator figure is read from here (a
-- province or the nation is the sum of its communes), never from a scan of
-- people. Rebuilt whenever data are loaded or corrected.
CREATE TABLE health.commune_month_count (
  month          date NOT NULL,
  commune_code   text NOT NULL,
  province_code  text NOT NULL,
  records integer NOT NULL,
  active_records_12m integer NOT NULL,
  PRIMARY KEY (month, commune_code)
);
CREATE INDEX commune_month_count_province ON health.commune_month_count (month, province_code);
