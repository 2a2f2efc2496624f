-- Listing by commune pages through rows by id (cursor pagination).
CREATE INDEX health_record_commune_listing ON health.health_record (commune_code, id);
