with source as (
    select * from {{ source('fastf1', 'fastf1_results') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        drivernumber as driver_number,
        driverid as driver_id,
        fullname as full_name,
        teamname as team_name,
        teamid as team_id,
        countrycode as country_code,
        case
            -- ClassifiedPosition is the number for a classified car, R/D/E/W/F/N otherwise.
            when
                trim(classifiedposition)
                = cast(cast(cast(position as double precision) as integer) as {{ dbt.type_string() }})
                then cast(cast(position as double precision) as integer)
        end as position,
        cast(cast(position as double precision) as integer) as finish_order,
        classifiedposition as classified_position,
        cast(cast(gridposition as double precision) as integer) as grid_position,
        status,
        cast(points as double precision) as points,
        {{ timedelta_to_seconds('q1') }} as q1_time,
        {{ timedelta_to_seconds('q2') }} as q2_time,
        {{ timedelta_to_seconds('q3') }} as q3_time,
        {{ timedelta_to_seconds(fastf1_csv_timedelta('time')) }} as time_or_gap,
        {{ raw_lineage_columns() | indent(8) }}
    from source
),

with_totals as (
    -- FastF1 writes the winner's race time and, for the others on the lead lap, their gap to the winner.
    select
        *,
        case
            when finish_order = 1 then time_or_gap
            else time_or_gap + max(case when finish_order = 1 then time_or_gap end) over (partition by session_id)
        end as total_time,
        case when finish_order = 1 then 0.0 else time_or_gap end as gap_to_leader
    from renamed
)

select * from with_totals
