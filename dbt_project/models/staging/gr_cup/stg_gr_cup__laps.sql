with source as (
    select * from {{ source('gr_cup', 'gr_cup_laps') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(lap_number as integer) as lap_number,
        {{ clock_to_seconds('lap_time') }} as lap_time,
        coalesce(cast(s1_seconds as double precision), {{ clock_to_seconds('s1') }}) as sector_1_time,
        coalesce(cast(s2_seconds as double precision), {{ clock_to_seconds('s2') }}) as sector_2_time,
        coalesce(cast(s3_seconds as double precision), {{ clock_to_seconds('s3') }}) as sector_3_time,
        coalesce(trim(crossing_finish_line_in_pit) <> '', false) as is_pit_in_lap,
        coalesce(trim(pit_time) <> '', false) as is_pit_out_lap,
        false as is_deleted,
        trim(flag_at_fl) as flag,
        upper(trim(flag_at_fl)) in ('GF', 'FF') as is_green_flag,
        -- Al Kamel marks each car's official best lap: LAP_IMPROVEMENT 2 (personal best) or 3 (overall best).
        coalesce(trim(crossing_finish_line_in_pit) <> '', false) as is_pit_lane_finish,
        coalesce(cast(nullif(trim(lap_improvement), '') as integer) > 0, false) as is_provider_best_lap,
        false as is_generated_lap,
        {{ clock_to_seconds('elapsed') }} as lap_end_time,
        'gr_cup' as source_format,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
