with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_laps') }}
),

renamed as (
    {{ fastf1_laps_staging('source', 'fastf1_api') }}
)

select * from renamed
