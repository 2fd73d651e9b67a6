-- Outlets: one row per outlet per yearly inventory; renamed, typed, NIS codes mapped to 2025 codes.
-- materialized: table
-- depends_on: valid_outlets, ref_nis_map
-- grain: year, outlet_id
-- not_null: reference_date, branch_code
-- incremental: append
with source as (
    select * from valid_outlets
),

renamed as (
    select
        cast(s.jaar as integer) as year,
        -- Without an inventory date the inventory counts as of 31 December of its year.
        coalesce(s.peildatum, make_date(cast(s.jaar as integer), 12, 31)) as reference_date,
        s.vkp_id as outlet_id,
        s.naam as name,
        s.straat as street,
        s.huisnummer as house_number,
        s.postcode as postal_code,
        m.nis_code,
        s.nis_code as nis_code_export,
        s.winkelgebied_id as area_id,
        s.branche_code as branch_code,
        s.wvo_m2,
        s.formule as formula,
        s.filiaal as is_chain_export,
        s.leegstand as is_vacant_flag,
        s.leeg_sinds as vacant_since,
        s.x_l72,
        s.y_l72,
        s.lon_wgs84 as lon,
        s.lat_wgs84 as lat,
        s.bron as source,
        s._file as source_file,
        s._line as source_line
    from source as s
    left join ref_nis_map as m on m.code = s.nis_code
),

final as (
    select * from renamed
)

select * from final order by year, outlet_id;
