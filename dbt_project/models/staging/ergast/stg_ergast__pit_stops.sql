with source as (
    select * from {{ source('ergast', 'ergast_pit_stops') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(raceid as integer) as race_id,
        cast(driverid as integer) as driver_id,
        cast(stop as integer) as stop_number,
        cast(lap as integer) as lap_number,
        time as time_of_day,
        cast(milliseconds as double precision) / 1000.0 as duration,
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select * from renamed
