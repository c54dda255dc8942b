{#- Track-status periods of every session in one shape, from FastF1 API extracts and FastF1 export files (the
    same Time / Status / Message columns): each change of status holds until the next one; the last period is
    open (null end). Status codes as FastF1 documents them: 1 green, 2 yellow, 4 SC, 5 red, 6 VSC deployed, 7 VSC
    ending. A session takes its changes from one source only (API, else export). -#}
with fastf1_api_track_status as (
    select * from {{ ref('stg_fastf1_api__track_status') }}
),

fastf1_track_status as (
    select * from {{ ref('stg_fastf1__track_status') }}
),

changes as (
    select
        session_id,
        'fastf1_api_track_status' as source_name,
        1 as source_rank,
        session_time as start_session_time,
        status_code,
        status as status_message,
        _source_line
    from fastf1_api_track_status
    union all
    select
        session_id,
        'fastf1_track_status' as source_name,
        2 as source_rank,
        start_session_time,
        status_code,
        status as status_message,
        _source_line
    from fastf1_track_status
),

ranked as (
    select
        *,
        min(source_rank) over (partition by session_id) as session_source_rank
    from changes
),

kept as (
    select * from ranked
    where source_rank = session_source_rank and start_session_time is not null
)

select
    session_id,
    source_name,
    row_number() over (partition by session_id order by start_session_time, _source_line) as period_number,
    trim(status_code) as status_code,
    case trim(status_code)
        when '1' then 'green'
        when '2' then 'yellow'
        when '4' then 'sc'
        when '5' then 'red'
        when '6' then 'vsc'
        when '7' then 'vsc'
    end as track_status,
    status_message,
    start_session_time,
    lead(start_session_time) over (partition by session_id order by start_session_time, _source_line)
        as end_session_time
from kept
