-- Listing by commune pages through rows by id (cursor pagination).
CREATE INDEX civil_servant_commune_listing ON civil_service.civil_servant (workplace_commune_code, id);
