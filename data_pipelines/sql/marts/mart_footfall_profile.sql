-- Average footfall per counting point and year by hour of the day ('uur') and by weekday ('weekdag').
-- materialized: table
-- depends_on: stg_footfall, mart_footfall_daily
-- grain: point_id, year, profile, bucket
-- not_null: avg_passers
-- relationships: point_id -> dim_counting_points.point_id
-- incremental: year = {year}
with hourly as (
    select * from stg_footfall
),

daily as (
    select * from mart_footfall_daily
),

by_hour as (
    select
        point_id,
        cast(year(count_date) as integer) as year,
        'uur' as profile,
        cast(hour as integer) as bucket,
        avg(passers) as avg_passers
    from hourly
    group by point_id, year(count_date), hour
),

by_weekday as (
    select
        point_id,
        cast(year(count_date) as integer) as year,
        'weekdag' as profile,
        cast(isodow(count_date) as integer) as bucket,
        avg(passers) as avg_passers
    from daily
    group by point_id, year(count_date), isodow(count_date)
),

final as (
    select * from by_hour
    union all
    select * from by_weekday
)

select * from final order by point_id, year, profile, bucket;
