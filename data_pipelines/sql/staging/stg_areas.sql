-- Shopping areas with their outline (WKB, WGS84) prepared in Python by load.py.
-- materialized: table
-- depends_on: valid_areas, ref_nis_map, area_geometry
-- grain: area_id
with source as (
    select * from valid_areas
),

final as (
    select
        s.winkelgebied_id as area_id,
        s.naam as name,
        m.nis_code,
        lower(s.type) as area_type,
        coalesce(s.kernwinkelgebied, false) as is_legal_core,
        g.geometry_wkb,
        g.area_m2,
        g.centroid_lon,
        g.centroid_lat,
        s.bron as source,
        s._file as source_file
    from source as s
    left join ref_nis_map as m on m.code = s.nis_code
    left join area_geometry as g on g._file = s._file and g._line = s._line
)

select * from final order by area_id;
