with source as (
    select * from {{ source('fastf1', 'fastf1_weather') }}
),

renamed as (
    {{ fastf1_weather_staging('source', fastf1_csv_timedelta('time')) }}
)

select * from renamed
