with source as (
    select * from {{ source('ergast', 'ergast_lap_times') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(lap as integer) as lap_number,
        cast(milliseconds as double precision) / 1000.0 as lap_time,
        cast(null as double precision) as sector_1_time,
        cast(null as double precision) as sector_2_time,
        cast(null as double precision) as sector_3_time,
        coalesce(_pit_in, false) as is_pit_in_lap,
        coalesce(_pit_out, false) as is_pit_out_lap,
        false as is_deleted,
        cast(null as {{ dbt.type_string() }}) as flag,
        cast(null as boolean) as is_green_flag,
        coalesce(_pit_in, false) as is_pit_lane_finish,
        cast(null as boolean) as is_provider_best_lap,
        false as is_generated_lap,
        cast(null as double precision) as lap_end_time,
        'ergast_lap_times' as source_format,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
