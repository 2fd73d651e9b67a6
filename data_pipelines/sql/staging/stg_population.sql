-- Population per municipality per year (1 January). Statbel files hold one row per sex, age,
-- nationality...: they are summed, and pre-2025 codes are summed into their 2025 municipality.
-- materialized: table
-- depends_on: valid_population, ref_nis_map
-- grain: nis_code, year
-- not_null: population
-- relationships: nis_code -> ref_municipalities.nis_code
-- incremental: append
with source as (
    select * from valid_population
),

mapped as (
    select
        m.nis_code,
        cast(s.CD_YEAR as integer) as year,
        s.MS_POPULATION as population
    from source as s
    inner join ref_nis_map as m on m.code = s.CD_REFNIS
),

final as (
    select nis_code, year, cast(sum(population) as bigint) as population
    from mapped
    group by nis_code, year
)

select * from final order by nis_code, year;
