with source as (
    select * from {{ source('lapstack_files', 'lapstack_laps') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(cast(lap_number as double precision) as integer) as lap_number,
        {{ clock_to_seconds('lap_time') }} as lap_time,
        {{ clock_to_seconds('sector_1_time') }} as sector_1_time,
        {{ clock_to_seconds('sector_2_time') }} as sector_2_time,
        {{ clock_to_seconds('sector_3_time') }} as sector_3_time,
        coalesce({{ text_to_bool('is_pit_in_lap') }}, false) as is_pit_in_lap,
        coalesce({{ text_to_bool('is_pit_out_lap') }}, false) as is_pit_out_lap,
        coalesce({{ text_to_bool('is_deleted') }}, false) as is_deleted,
        flag,
        case
            when flag is null then null
            else lower(trim(flag)) in ('gf', 'ff', 'green', 'g', '1')
        end as is_green_flag,
        coalesce({{ text_to_bool('is_pit_in_lap') }}, false) as is_pit_lane_finish,
        cast(null as boolean) as is_provider_best_lap,
        false as is_generated_lap,
        cast(null as double precision) as lap_end_time,
        'lapstack' as source_format,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
