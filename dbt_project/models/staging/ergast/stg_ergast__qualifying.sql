with source as (
    select * from {{ source('ergast', 'ergast_qualifying') }}
),

renamed as (
    select
        {{ ergast_race_keys('driver') | indent(8) }},
        cast(qualifyid as integer) as qualify_id,
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
