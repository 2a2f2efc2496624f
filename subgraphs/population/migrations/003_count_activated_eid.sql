-- Residents holding an activated VNeID of either level: the denominator of the
-- level-2 share (task 2). The counts are emptied so that the subgraph rebuilds
-- them with the new column at its next start (refreshMonthlyCountsIfEmpty).
DELETE FROM population.commune_month_count;
ALTER TABLE population.commune_month_count ADD COLUMN eid_activated integer NOT NULL;
