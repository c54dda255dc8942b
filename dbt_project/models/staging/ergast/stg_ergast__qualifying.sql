with source as (
    select * from {{ source('ergast', 'ergast_qualifying') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(qualifyid as integer) as qualify_id,
        cast(raceid as integer) as race_id,
        cast(driverid as integer) as driver_id,
        cast(constructorid as integer) as constructor_id,
        number as car_number,
        cast(position as integer) as position,
        {{ clock_to_seconds('q1') }} as q1_time,
        {{ clock_to_seconds('q2') }} as q2_time,
        {{ clock_to_seconds('q3') }} as q3_time,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
