with source as (
    select * from {{ source('ergast', 'ergast_driver_standings') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(raceid as integer) as race_id,
        cast(driverid as integer) as driver_id,
        cast(points as double precision) as points,
        cast(position as integer) as position,
        positiontext as position_text,
        cast(wins as integer) as wins,
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select * from renamed
