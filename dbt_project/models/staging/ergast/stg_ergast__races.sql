with source as (
    select * from {{ source('ergast', 'ergast_races') }}
),

renamed as (
    select
        _session_id as session_id,
        cast(raceid as integer) as race_id,
        cast(year as integer) as season,
        cast(round as integer) as round_number,
        cast(circuitid as integer) as circuit_id,
        name as event,
        cast(date as date) as race_date,
        time as race_time_utc,
        url,
        cast(quali_date as date) as qualifying_date,
        cast(sprint_date as date) as sprint_date,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
