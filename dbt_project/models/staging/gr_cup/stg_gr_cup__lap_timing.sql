{#- The race-picture columns of an Al Kamel lap row: elapsed race time and local time of day at the line. -#}
with source as (
    select * from {{ source('gr_cup', 'gr_cup_laps') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(lap_number as integer) as lap_number,
        {{ clock_to_seconds('lap_time') }} as lap_time,
        {{ clock_to_seconds('elapsed') }} as line_elapsed_time,
        {{ clock_to_seconds('hour') }} as line_local_time_of_day,
        upper(nullif(trim(flag_at_fl), '')) as flag_at_line,
        _batch_id,
        _source_line
    from source
)

select * from renamed
