-- Population per municipality (2025 codes) per year, 1 January, as the app shows it.
-- materialized: table
-- depends_on: stg_population
-- grain: nis_code, year
-- not_null: population
-- relationships: nis_code -> ref_municipalities.nis_code
select nis_code, year, population from stg_population order by nis_code, year
