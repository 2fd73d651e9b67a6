-- Footfall indicators per level x area x year (points counted in both years for the change).
-- materialized: table
-- depends_on: mart_footfall_daily, dim_counting_points, ref_municipalities
-- grain: level, area_code, year
-- not_null: counting_points
-- incremental: year = {year}
with daily as (
    select d.*, cast(year(d.count_date) as integer) as year, p.area_id, p.nis_code, m.province_code
    from mart_footfall_daily as d
    inner join dim_counting_points as p using (point_id)
    inner join ref_municipalities as m on m.nis_code = p.nis_code
),

point_year as (
    select
        point_id, year, area_id, nis_code, province_code,
        avg(passers) as avg_daily_passers,
        sum(passers) as passers,
        sum(entries) as entries,
        sum(passers_with_entries) as passers_with_entries
    from daily
    group by all
),

with_previous as (
    select
        p.*,
        prev.avg_daily_passers as avg_daily_passers_previous_year
    from point_year as p
    left join point_year as prev on prev.point_id = p.point_id and prev.year = p.year - 1
),

levels as (
    select 'vlaanderen' as level, '02000' as area_code, * from with_previous
    union all
    select 'provincie', province_code, * from with_previous
    union all
    select 'gemeente', nis_code, * from with_previous
    union all
    select 'winkelgebied', area_id, * from with_previous where area_id is not null
),

final as (
    select
        level,
        area_code,
        year,
        count(*) as counting_points,
        -- Sums of doubles in a fixed order (by point): the same figure to the last bit, however the rows
        -- arrive (a full build, or a year added to one).
        avg(avg_daily_passers order by point_id) as footfall_avg_daily_per_point,
        avg(avg_daily_passers order by point_id) * 7 as footfall_avg_weekly_per_point,
        -- Year on year on the points counted in both years only, so a new point is no growth.
        100.0 * (sum(avg_daily_passers order by point_id) filter (where avg_daily_passers_previous_year is not null)
            / nullif(sum(avg_daily_passers_previous_year order by point_id), 0) - 1) as footfall_yoy_pct,
        100.0 * sum(entries) / nullif(sum(entries) + sum(passers_with_entries), 0) as capture_rate_pct
    from levels
    group by level, area_code, year
)

select * from final order by level, area_code, year;
