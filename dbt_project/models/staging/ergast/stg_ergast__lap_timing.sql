{#- The race-picture columns of an Ergast lap row: exact milliseconds (for elapsed times) and Ergast's position. -#}
with source as (
    select * from {{ source('ergast', 'ergast_lap_times') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(raceid as integer) as race_id,
        cast(driverid as integer) as driver_id,
        cast(lap as integer) as lap_number,
        cast(milliseconds as double precision) / 1000.0 as lap_time,
        cast(position as integer) as reported_position,
        _batch_id,
        _source_line
    from source
)

select * from renamed
