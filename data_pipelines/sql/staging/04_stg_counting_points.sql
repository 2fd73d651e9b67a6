-- Footfall counting points.
create or replace table stg_counting_points as
with source as (
    select * from valid_counting_points
),

final as (
    select
        s.telpunt_id as point_id,
        s.naam as name,
        m.nis_code,
        s.winkelgebied_id as area_id,
        -- 'ligging' when the build placed the point by its coordinates (see load._assign_point_areas).
        case when s.winkelgebied_id is not null then 'export' end as area_source,
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
