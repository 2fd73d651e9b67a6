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
    select level, area_code, year, branch_group, count(*) as outlets, sum(wvo_m2) as wvo_m2
    from o
    group by level, area_code, year, branch_group
),

final as (
    select
        g.*,
        100.0 * g.outlets / sum(g.outlets) over w as share_outlets_pct,
        100.0 * g.wvo_m2 / nullif(sum(g.wvo_m2) over w, 0) as share_wvo_pct
    from groups as g
    window w as (partition by g.level, g.area_code, g.year)
)

select * from final order by level, area_code, year, branch_group;
