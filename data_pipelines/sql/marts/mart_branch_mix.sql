-- Branch mix: share of each branch group in the outlets and in the measured WVO (vacancy included).
-- materialized: table
-- depends_on: fct_outlet_levels
-- grain: level, area_code, year, branch_group
-- not_null: outlets
-- relationships: branch_group -> ref_branch_groups.branch_group
-- incremental: year = {year}
with o as (
    select * from fct_outlet_levels
),

groups as (
    -- WVO summed as decimals (to 0.001 m²): exact in any order of the rows, as in mart_area_year.
    select level, area_code, year, branch_group, count(*) as outlets,
           sum(cast(wvo_m2 as decimal(18, 3))) as wvo_exact
    from o
    group by level, area_code, year, branch_group
),

final as (
    select
        g.level,
        g.area_code,
        g.year,
        g.branch_group,
        g.outlets,
        cast(g.wvo_exact as double) as wvo_m2,
        100.0 * g.outlets / sum(g.outlets) over w as share_outlets_pct,
        100.0 * cast(g.wvo_exact as double) / nullif(cast(sum(g.wvo_exact) over w as double), 0) as share_wvo_pct
    from groups as g
    window w as (partition by g.level, g.area_code, g.year)
)

select * from final order by level, area_code, year, branch_group;
