with source as (
    select * from {{ source('ergast', 'ergast_driver_standings') }}
),

renamed as (
    {{ ergast_standings_staging('source', 'driver') }}
)

select * from renamed
