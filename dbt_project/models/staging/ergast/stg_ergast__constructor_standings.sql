with source as (
    select * from {{ source('ergast', 'ergast_constructor_standings') }}
),

renamed as (
    {{ ergast_standings_staging('source', 'constructor') }}
)

select * from renamed
