-- Listing by commune pages through rows by id (cursor pagination).
CREATE INDEX farm_household_commune_listing ON agriculture.farm_household (commune_code, id);
