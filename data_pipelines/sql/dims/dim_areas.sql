-- The shopping areas the app shows: one row per area, with its outline (WKB, WGS84) and centroid.
-- materialized: table
-- depends_on: stg_areas
-- grain: area_id
-- not_null: area_type
-- relationships: nis_code -> ref_municipalities.nis_code
select
    area_id,
    name,
    nis_code,
    area_type,
    is_legal_core,
    geometry_wkb,
    area_m2,
    centroid_lon,
    centroid_lat,
    source
from stg_areas
order by area_id
