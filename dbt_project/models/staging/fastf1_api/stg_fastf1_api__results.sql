with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_results') }}
),

renamed as (
    select
        _session_id as session_id,
        drivernumber as driver_number,
        abbreviation as driver,
        driverid as driver_id,
        fullname as full_name,
        teamname as team_name,
        teamid as team_id,
        countrycode as country_code,
        cast(cast(position as double precision) as integer) as position,
        classifiedposition as classified_position,
        cast(cast(gridposition as double precision) as integer) as grid_position,
        {{ timedelta_to_seconds('q1') }} as q1_time,
        {{ timedelta_to_seconds('q2') }} as q2_time,
        {{ timedelta_to_seconds('q3') }} as q3_time,
        {{ timedelta_to_seconds('time') }} as race_time,
        status,
        cast(points as double precision) as points,
        cast(cast(laps as double precision) as integer) as laps_completed,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
