with source as (
    select * from {{ source('fastf1', 'fastf1_laps') }}
),

renamed as (
    {{ fastf1_laps_staging('source', 'fastf1_laps') }}
)

select * from renamed
