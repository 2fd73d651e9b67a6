-- Every outlet once per level it counts in: Vlaanderen, its province, municipality and shopping area.
-- materialized: temp
-- depends_on: fct_outlets
-- grain: level, area_code, year, outlet_id
-- incremental: year = {year}
with outlets as (
    -- Only the columns the level marts read: the table holds every outlet four times.
    select year, outlet_id, province_code, nis_code, area_id, is_vacant, is_retail, is_chain, branch_group,
           vacancy_class, wvo_m2
    from fct_outlets
),

final as (
    select 'vlaanderen' as level, '02000' as area_code, * exclude (province_code, nis_code, area_id) from outlets
    union all
    select 'provincie' as level, province_code as area_code, * exclude (province_code, nis_code, area_id)
    from outlets
    union all
    select 'gemeente' as level, nis_code as area_code, * exclude (province_code, nis_code, area_id) from outlets
    union all
    select 'winkelgebied' as level, area_id as area_code, * exclude (province_code, nis_code, area_id)
    from outlets where area_id is not null
)

select * from final;
