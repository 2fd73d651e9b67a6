-- Footfall counting points.
-- materialized: table
-- depends_on: valid_counting_points, ref_nis_map
-- grain: point_id
-- incremental: append
with source as (
    select * from valid_counting_points
),

final as (
    select
        s.telpunt_id as point_id,
        s.naam as name,
        m.nis_code,
        s.winkelgebied_id as area_id,
        s.x_l72,
        s.y_l72,
        s.lon_wgs84 as lon,
        s.lat_wgs84 as lat,
        s.bron as source,
        s._file as source_file
    from source as s
    left join ref_nis_map as m on m.code = s.nis_code
)

select * from final order by point_id;
