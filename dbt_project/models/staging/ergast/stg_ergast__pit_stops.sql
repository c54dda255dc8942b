with source as (
    select * from {{ source('ergast', 'ergast_pit_stops') }}
),

renamed as (
    select
        {{ ergast_race_keys('driver') | indent(8) }},
        cast(stop as integer) as stop_number,
        cast(lap as integer) as lap_number,
        time as time_of_day,
        cast(milliseconds as double precision) / 1000.0 as duration,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
