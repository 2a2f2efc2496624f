-- Farm households with a crop plot recorded: the numerator of task 16's
-- crop-record share. The counts are emptied so that the subgraph rebuilds them
-- with the new column at its next start (refreshMonthlyCountsIfEmpty).
DELETE FROM agriculture.commune_month_count;
ALTER TABLE agriculture.commune_month_count ADD COLUMN with_crop_records integer NOT NULL;
