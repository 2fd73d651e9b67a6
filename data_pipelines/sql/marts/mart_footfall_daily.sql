-- Footfall per counting point per day (sums of the hourly counts).
-- materialized: table
-- depends_on: stg_footfall
-- grain: point_id, count_date
-- not_null: passers, hours_counted
-- relationships: point_id -> dim_counting_points.point_id
-- incremental: count_date >= date '{year}-01-01'
with hourly as (
    select * from stg_footfall
),

final as (
    select
        point_id,
        count_date,
        cast(sum(passers) as bigint) as passers,
        cast(sum(entries) as bigint) as entries,
        -- Capture rate compares entries with the passers of the same hours: a door counter that runs
        -- only during opening hours says nothing about the passers of the night.
        cast(sum(passers) filter (where entries is not null) as bigint) as passers_with_entries,
        count(*) as hours_counted
    from hourly
    group by point_id, count_date
)

select * from final order by point_id, count_date;
