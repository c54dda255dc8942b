with source as (
    select * from {{ source('ergast', 'ergast_results') }}
),

{{ ergast_results_staging('source') }}
