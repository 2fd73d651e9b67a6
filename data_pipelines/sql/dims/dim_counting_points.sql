-- The counting points the app shows: the export's shopping area, else the one the point lies in.
-- materialized: table
-- depends_on: stg_counting_points, int_counting_points_placed
-- grain: point_id
-- relationships: nis_code -> ref_municipalities.nis_code
with points as (
    select * from stg_counting_points
),

placed as (
    select * from int_counting_points_placed
),

final as (
    select
        s.point_id,
        s.name,
        s.nis_code,
        coalesce(s.area_id, p.area_id) as area_id,
        -- 'export' when the export named the area, 'ligging' when the build placed the point by its coordinates.
        case when s.area_id is not null then 'export' when p.area_id is not null then 'ligging' end as area_source,
        s.x_l72,
        s.y_l72,
        s.lon,
        s.lat,
        s.source
    from points as s
    left join placed as p using (point_id)
)

select * from final order by point_id
