with source as (
    select * from {{ source('ergast', 'ergast_sprint_results') }}
),

{{ ergast_results_staging('source') }}
