-- Hourly footfall counts (local time): one row per counting point, date and hour.
-- materialized: table
-- depends_on: valid_footfall
-- grain: point_id, count_date, hour
-- relationships: point_id -> stg_counting_points.point_id
-- incremental: append
with source as (
    select * from valid_footfall
),

final as (
    select
        telpunt_id as point_id,
        datum as count_date,
        cast(uur as tinyint) as hour,
        cast(passanten as integer) as passers,
        cast(binnenkomers as integer) as entries
    from source
)

select * from final order by point_id, count_date, hour;
