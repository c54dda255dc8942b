{{ session_mart_config(['session_id', 'event_number']) }}
{#- One row per track-status period (FastF1 API or export TrackStatus: green / yellow / sc / vsc / red, start,
    end, the laps that ended inside it) and per race control message of the FastF1 API extract (category, flag,
    driver, lap; penalties, track limits and investigations told apart by their own text), in time order.
    Incremental per session. -#}
with sessions as (
    select * from {{ ref('dim_sessions') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

periods as (
    select * from {{ ref('int_conditions__track_status') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

messages as (
    select * from {{ ref('stg_fastf1_api__race_control_messages') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

api_results as (
    select * from {{ ref('stg_fastf1_api__results') }}
),

laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

period_laps as (
    -- the laps (any car) whose line crossing falls inside the period, on the same FastF1 session clock
    select
        p.session_id,
        p.period_number,
        min(l.lap_number) as first_lap_number,
        max(l.lap_number) as last_lap_number,
        count(l.lap_number) as laps_covered
    from periods as p
    inner join laps as l
        on
            p.session_id = l.session_id
            and p.start_session_time <= l.lap_end_time
            and (p.end_session_time is null or p.end_session_time > l.lap_end_time)
    where l.lap_number >= 1 and not l.is_lost_counter
    group by p.session_id, p.period_number
),

driver_numbers as (
    select distinct
        session_id,
        driver_number,
        driver
    from api_results
),

events as (
    select
        p.session_id,
        'track_status_period' as event_kind,
        p.source_name,
        p.start_session_time as sort_time,
        cast(null as timestamp) as message_at,
        p.track_status,
        p.status_code,
        p.status_message as message,
        cast(null as {{ dbt.type_string() }}) as message_category,
        cast(null as {{ dbt.type_string() }}) as message_kind,
        cast(null as {{ dbt.type_string() }}) as flag,
        cast(null as {{ dbt.type_string() }}) as driver,
        {{ mart_seconds('p.start_session_time') }} as start_session_time,
        {{ mart_seconds('p.end_session_time') }} as end_session_time,
        {{ mart_seconds('p.end_session_time - p.start_session_time') }} as duration,
        pl.first_lap_number,
        pl.last_lap_number,
        cast(coalesce(pl.laps_covered, 0) as bigint) as laps_covered
    from periods as p
    left join period_laps as pl on p.session_id = pl.session_id and p.period_number = pl.period_number
    union all
    select
        m.session_id,
        'race_control_message' as event_kind,
        'fastf1_api_race_control_messages' as source_name,
        cast(null as double precision) as sort_time,
        m.message_at,
        case
            when upper(m.flag) = 'RED' then 'red'
            when upper(m.flag) in ('YELLOW', 'DOUBLE YELLOW') then 'yellow'
            when upper(m.flag) in ('GREEN', 'CLEAR') then 'green'
        end as track_status,
        cast(null as {{ dbt.type_string() }}) as status_code,
        m.message,
        m.category as message_category,
        case
            when upper(m.message) like '%PENALTY%' then 'penalty'
            when upper(m.message) like '%TRACK LIMITS%' then 'track_limits'
            when
                upper(m.message) like '%INVESTIGATION%'
                or upper(m.message) like '%NOTED%'
                or upper(m.message) like '%REVIEWED%'
                then 'investigation'
            when m.category = 'Flag' then 'flag'
            when m.category = 'SafetyCar' then 'safety_car'
            when m.category = 'Drs' then 'drs'
            else 'other'
        end as message_kind,
        m.flag,
        d.driver,
        cast(null as double precision) as start_session_time,
        cast(null as double precision) as end_session_time,
        cast(null as double precision) as duration,
        m.lap_number as first_lap_number,
        m.lap_number as last_lap_number,
        cast(null as bigint) as laps_covered
    from messages as m
    left join driver_numbers as d on m.session_id = d.session_id and m.driver_number = d.driver_number
)

select
    {{ session_key_columns('s') }},
    cast(row_number() over (
        partition by e.session_id order by e.event_kind desc, e.sort_time asc, e.message_at asc, e.message asc
    ) as integer) as event_number,
    e.event_kind,
    e.source_name,
    e.track_status,
    e.status_code,
    e.message,
    e.message_category,
    e.message_kind,
    e.flag,
    e.driver,
    e.message_at,
    e.start_session_time,
    e.end_session_time,
    e.duration,
    cast(e.first_lap_number as integer) as first_lap_number,
    cast(e.last_lap_number as integer) as last_lap_number,
    e.laps_covered,
    s.session_version as _session_version
from events as e
inner join sessions as s on e.session_id = s.session_id
