{#- The race-picture columns of an Ergast lap row: exact milliseconds (for elapsed times) and Ergast's position. -#}
with source as (
    select * from {{ source('ergast', 'ergast_lap_times') }}
),

renamed as (
    select
        {{ ergast_race_keys('driver') | indent(8) }},
        cast(lap as integer) as lap_number,
        cast(milliseconds as double precision) / 1000.0 as lap_time,
        cast(position as integer) as reported_position,
        _batch_id,
        _source_line
    from source
)

select * from renamed
