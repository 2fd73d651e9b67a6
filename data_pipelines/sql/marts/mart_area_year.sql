-- The indicators of ../shared/INDICATORS.md per level x area x year (wide; scopes in the column names).
-- materialized: table
-- depends_on: fct_outlet_levels, stg_population, ref_municipalities, mart_footfall_year
-- grain: level, area_code, year
-- not_null: outlets_total
-- incremental: year = {year}
with o as (
    -- WVO summed as decimals (to 0.001 m²): exact, so the same to the last bit in whatever order the rows
    -- are added up (a full build, or a year added to one).
    select *, cast(wvo_m2 as decimal(18, 3)) as wvo_exact from fct_outlet_levels
),

counts as (
    select
        level,
        area_code,
        year,
        count(*) as outlets_total,
        count(*) filter (where is_vacant) as outlets_vacant,
        count(*) filter (where not is_vacant) as outlets_occupied,
        count(*) filter (where is_retail) as retail_outlets,
        count(*) filter (where branch_group = 'Leisure') as leisure_outlets,
        count(*) filter (where branch_group = 'Diensten') as services_outlets,
        coalesce(cast(sum(wvo_exact) filter (where is_retail) as double), 0) as retail_wvo_m2,
        count(wvo_m2) filter (where is_retail) as retail_outlets_with_wvo,
        coalesce(cast(sum(wvo_exact) filter (where is_vacant) as double), 0) as vacant_wvo_m2,
        coalesce(cast(sum(wvo_exact) filter (where not is_vacant) as double), 0) as occupied_wvo_m2,
        count(*) filter (where not is_vacant and not is_retail) as nonretail_outlets,
        count(wvo_m2) filter (where not is_vacant and not is_retail) as nonretail_outlets_with_wvo,
        count(*) filter (where vacancy_class = 'frictioneel') as vacant_frictional,
        count(*) filter (where vacancy_class = 'langdurig') as vacant_longterm,
        count(*) filter (where vacancy_class = 'structureel') as vacant_structural,
        count(*) filter (where is_retail and is_chain) as chain_outlets,
        coalesce(cast(sum(wvo_exact) filter (where is_retail and is_chain) as double), 0) as chain_wvo_m2,
        count(*) filter (where is_retail and is_chain is null) as chain_unknown_outlets
    from o
    group by level, area_code, year
),

municipality_population as (
    select p.nis_code, p.year, p.population, m.province_code
    from stg_population as p
    inner join ref_municipalities as m using (nis_code)
),

population as (
    -- A province or Flanders gets a population only when every municipality has one that year.
    select 'gemeente' as level, nis_code as area_code, year, population from municipality_population
    union all
    select 'provincie', province_code, year, cast(sum(population) as bigint)
    from municipality_population
    group by province_code, year
    having count(*) = (select count(*) from ref_municipalities as r
                       where r.province_code = municipality_population.province_code)
    union all
    select 'vlaanderen', '02000', year, cast(sum(population) as bigint)
    from municipality_population
    group by year
    having count(*) = (select count(*) from ref_municipalities)
),

indicators as (
    select
        c.*,
        -- Locatus measured the WVO of leisure and services only from 2019-2020: where it is
        -- missing, the all-outlets WVO scope is not computed (a visible series break, not a guess).
        c.nonretail_outlets = 0 or c.nonretail_outlets_with_wvo >= 0.95 * c.nonretail_outlets
            as wvo_all_outlets_measured,
        100.0 * c.outlets_vacant / nullif(c.retail_outlets + c.outlets_vacant, 0)
            as vacancy_rate_count_retail_pct,
        100.0 * c.outlets_vacant / nullif(c.outlets_total, 0) as vacancy_rate_count_all_pct,
        100.0 * c.vacant_wvo_m2 / nullif(c.retail_wvo_m2 + c.vacant_wvo_m2, 0) as vacancy_rate_wvo_retail_pct,
        case when c.nonretail_outlets = 0 or c.nonretail_outlets_with_wvo >= 0.95 * c.nonretail_outlets
             then 100.0 * c.vacant_wvo_m2 / nullif(c.occupied_wvo_m2 + c.vacant_wvo_m2, 0)
        end as vacancy_rate_wvo_all_pct,
        100.0 * c.vacant_frictional / nullif(c.outlets_vacant, 0) as vacancy_frictional_share_vacant_pct,
        100.0 * c.vacant_longterm / nullif(c.outlets_vacant, 0) as vacancy_longterm_share_vacant_pct,
        100.0 * c.vacant_structural / nullif(c.outlets_vacant, 0) as vacancy_structural_share_vacant_pct,
        100.0 * c.vacant_frictional / nullif(c.outlets_total, 0) as vacancy_frictional_rate_pct,
        100.0 * c.vacant_longterm / nullif(c.outlets_total, 0) as vacancy_longterm_rate_pct,
        100.0 * c.vacant_structural / nullif(c.outlets_total, 0) as vacancy_structural_rate_pct,
        -- One shop of unknown chain status leaves the share empty: a partial count would be a wrong number.
        case when c.chain_unknown_outlets = 0
             then 100.0 * c.chain_outlets / nullif(c.retail_outlets, 0) end as chain_share_count_pct,
        case when c.chain_unknown_outlets = 0
             then 100.0 * c.chain_wvo_m2 / nullif(c.retail_wvo_m2, 0) end as chain_share_wvo_pct,
        case when c.chain_unknown_outlets > 0 then 'geen ketenvlag in de levering' end as chain_share_note,
        c.retail_wvo_m2 / nullif(c.retail_outlets_with_wvo, 0) as avg_wvo_per_store_m2,
        p.population,
        -- per 1,000 inhabitants
        1000.0 * c.retail_outlets / nullif(p.population, 0) as outlets_per_1000_inh,
        c.retail_wvo_m2 / nullif(p.population, 0) as wvo_per_inh_m2
    from counts as c
    left join population as p on p.level = c.level and p.area_code = c.area_code and p.year = c.year
),

final as (
    select
        i.*,
        -- The headline WVO vacancy: the widest scope measured (all outlets, else retail), and which one.
        coalesce(i.vacancy_rate_wvo_all_pct, i.vacancy_rate_wvo_retail_pct) as vacancy_rate_wvo_headline_pct,
        case when i.vacancy_rate_wvo_all_pct is not null then 'alle'
             when i.vacancy_rate_wvo_retail_pct is not null then 'detailhandel'
        end as vacancy_wvo_scope,
        f.counting_points,
        f.footfall_avg_daily_per_point,
        f.footfall_avg_weekly_per_point,
        f.footfall_yoy_pct,
        f.capture_rate_pct
    from indicators as i
    left join mart_footfall_year as f
        on f.level = i.level and f.area_code = i.area_code and f.year = i.year
)

select * from final order by level, area_code, year;
