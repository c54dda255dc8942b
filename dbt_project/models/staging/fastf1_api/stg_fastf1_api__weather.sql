with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_weather') }}
),

renamed as (
    {{ fastf1_weather_staging('source', 'time') }}
)

select * from renamed
