-- The site plan's geometry: footprints of compounds, buildings and named
-- places such as a plaza (closed polygons) and roads and paths (lines), in WGS-84, imported as GeoJSON
-- (`linli plan import`). One table for all kinds, not columns on
-- compounds and buildings: roads belong to no registry row, and an import
-- replaces an area's whole plan at once. Points are "lon,lat lon,lat ..."
-- in millionths of a degree (about 0.1 m), integers so that a round trip
-- through export and import changes nothing; a polygon's ring is stored
-- open (its first point is not repeated at the end).
CREATE TABLE plan_features (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	kind TEXT NOT NULL,                      -- compound, building, place, road or path
	compound_id BIGINT REFERENCES compounds(id), -- kind compound
	building_id BIGINT REFERENCES buildings(id), -- kind building
	place_id BIGINT REFERENCES places(id),   -- kind place
	name TEXT NOT NULL DEFAULT '',           -- a road's or path's label
	points TEXT NOT NULL
);
CREATE INDEX plan_features_area ON plan_features (area_id);
