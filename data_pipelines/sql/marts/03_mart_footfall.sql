-- Footfall aggregates per counting point: daily, weekly (ISO weeks), hour-of-day and weekday profiles.
create or replace table mart_footfall_daily as
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

create or replace table mart_footfall_weekly as
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

create or replace table mart_footfall_profile as
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

create or replace table mart_footfall_year as
with daily as (
    select d.*, cast(year(d.count_date) as integer) as year, p.area_id, p.nis_code, m.province_code
    from mart_footfall_daily as d
    inner join stg_counting_points as p using (point_id)
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
        avg(avg_daily_passers) as footfall_avg_daily_per_point,
        avg(avg_daily_passers) * 7 as footfall_avg_weekly_per_point,
        -- Year on year on the points counted in both years only, so a new point is no growth.
        100.0 * (sum(avg_daily_passers) filter (where avg_daily_passers_previous_year is not null)
            / nullif(sum(avg_daily_passers_previous_year), 0) - 1) as footfall_yoy_pct,
        100.0 * sum(entries) / nullif(sum(entries) + sum(passers_with_entries), 0) as capture_rate_pct
    from levels
    group by level, area_code, year
)

select * from final order by level, area_code, year;
