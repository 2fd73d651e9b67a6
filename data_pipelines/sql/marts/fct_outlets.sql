-- One row per outlet per inventory with its branch group, vacancy duration class and chain flag.
-- materialized: table
-- depends_on: stg_outlets, ref_branches, chain_rules, ref_chain_formulas, ref_municipalities
-- grain: year, outlet_id
-- not_null: nis_code, province_code, branch_group, is_vacant, is_retail
-- relationships: nis_code -> ref_municipalities.nis_code, branch_code -> ref_branches.branch_code
-- incremental: year = {year}
with outlets as (
    select * from stg_outlets
),

branches as (
    select branch_code, branch_group, is_retail from ref_branches
),

rules as (
    -- How an outlet without a chain flag is classified in each inventory (see load._chain_rules).
    select year, rule from chain_rules
),

listed as (
    select distinct lower(formula) as formula from ref_chain_formulas
),

formula_counts as (
    -- Locatus: a formula with at least 7 outlets is a chain (filiaalbedrijf). Counted per inventory,
    -- which is only true when the inventory covers all of Flanders.
    select year, formula, count(*) as formula_outlets
    from outlets
    where formula is not null
    group by year, formula
),

classified as (
    select
        o.*,
        b.branch_group,
        b.is_retail,
        (o.is_vacant_flag or b.branch_group = 'Leegstand') as is_vacant,
        f.formula_outlets,
        r.rule as chain_rule
    from outlets as o
    inner join branches as b on b.branch_code = o.branch_code
    left join formula_counts as f on f.year = o.year and f.formula = o.formula
    left join rules as r on r.year = o.year
),

vacancy_streaks as (
    -- Consecutive inventories in which a unit stood vacant form one streak (gaps and islands).
    select
        outlet_id,
        year,
        reference_date,
        year - row_number() over (partition by outlet_id order by year) as streak
    from classified
    where is_vacant
),

streak_start as (
    select
        outlet_id,
        year,
        min(reference_date) over (partition by outlet_id, streak) as first_vacant_inventory
    from vacancy_streaks
),

final as (
    select
        c.year,
        c.reference_date,
        c.outlet_id,
        c.name,
        c.street,
        c.house_number,
        c.postal_code,
        c.nis_code,
        mun.province_code,
        c.area_id,
        c.branch_code,
        c.branch_group,
        c.is_retail and not c.is_vacant as is_retail,
        c.is_vacant,
        c.wvo_m2,
        c.formula,
        -- The export's flag wins; else the formula list, else the 7+ rule on a Flanders-wide inventory;
        -- else unknown (null), which leaves the chain share empty instead of wrong.
        case when c.is_vacant then null
             when c.is_chain_export is not null then c.is_chain_export
             when c.chain_rule = 'formulelijst' then coalesce(lower(c.formula) in (select formula from listed), false)
             when c.chain_rule = '7+ vestigingen' then coalesce(c.formula_outlets >= 7, false)
        end as is_chain,
        -- Duration from the vacant-since date, else from the first inventory of the current streak.
        case when c.is_vacant then coalesce(c.vacant_since, s.first_vacant_inventory) end as vacancy_start,
        case when c.is_vacant then
            case
                when coalesce(c.vacant_since, s.first_vacant_inventory) >= c.reference_date - interval 1 year
                    then 'frictioneel'
                when coalesce(c.vacant_since, s.first_vacant_inventory) >= c.reference_date - interval 3 year
                    then 'langdurig'
                else 'structureel'
            end
        end as vacancy_class,
        c.x_l72,
        c.y_l72,
        c.lon,
        c.lat,
        c.source
    from classified as c
    inner join ref_municipalities as mun on mun.nis_code = c.nis_code
    left join streak_start as s on s.outlet_id = c.outlet_id and s.year = c.year
)

select * from final order by year, outlet_id;
