-- Footfall per counting point per ISO week, with the same week a year earlier.
-- materialized: table
-- depends_on: mart_footfall_daily
-- grain: point_id, iso_year, iso_week
-- not_null: passers, days_counted
-- relationships: point_id -> dim_counting_points.point_id
-- A week across New Year changes when the new year arrives: its days and its comparison.
-- incremental: week_start > date '{year}-01-01' - 7
with daily as (
    select * from mart_footfall_daily
),

weeks as (
    select
        point_id,
        cast(isoyear(count_date) as integer) as iso_year,
        cast(week(count_date) as integer) as iso_week,
        min(date_trunc('week', count_date))::date as week_start,
        cast(sum(passers) as bigint) as passers,
        count(*) as days_counted
    from daily
    group by point_id, iso_year, iso_week
),

final as (
    select
        w.*,
        p.passers as passers_previous_year,
        -- Only complete weeks are compared: a half-counted week is no trend.
        case when w.days_counted = 7 and p.days_counted = 7 and p.passers > 0
             then 100.0 * (w.passers / p.passers - 1) end as yoy_pct
    from weeks as w
    left join weeks as p
        on p.point_id = w.point_id and p.iso_year = w.iso_year - 1 and p.iso_week = w.iso_week
)

select * from final order by point_id, iso_year, iso_week;
