with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_laps') }}
),

renamed as (
    {{ fastf1_lap_timing_staging('source') }}
)

select * from renamed
