with source as (
    select * from {{ source('fastf1', 'fastf1_laps') }}
),

renamed as (
    {{ fastf1_lap_timing_staging('source') }}
)

select * from renamed
