{#- Every lap placed in time, for the lap-based daily / hourly / monthly marts: its UTC start (fct_laps
    lap_start_time: FastF1 LapStartDate, GR Cup timing HOUR at the ECU-derived UTC offset), else for a lap
    source without clock times (Ergast lap_times) the race's date from races.csv, with no hour. A lap with
    neither (a GR Cup session loaded without its ECU lap events) has no day and is left out. `_loaded_at` is the later of the lap's load and its session's last change. -#}
with laps as (
    select * from {{ ref('fct_laps') }}
),

sessions as (
    select * from {{ ref('dim_sessions') }}
),

ergast_races as (
    select * from {{ ref('stg_ergast__races') }}
),

race_dates as (
    select
        session_id,
        max(race_date) as race_date
    from ergast_races
    group by session_id
),

placed as (
    select
        l.session_id,
        l.series,
        l.season,
        l.event as track,
        l.driver,
        l.lap_time,
        l.is_racing_lap,
        l.is_personal_best,
        l.lap_start_time,
        coalesce(cast(l.lap_start_time as date), r.race_date) as activity_date,
        -- a change to the session (a driver deleted, a file superseded) re-stamps its laps, so the window
        -- re-aggregates every bucket the change touches
        case when s.loaded_at > l._loaded_at then s.loaded_at else l._loaded_at end as _loaded_at,
        l._session_version
    from laps as l
    inner join sessions as s on l.session_id = s.session_id
    left join race_dates as r on l.session_id = r.session_id
    where l.lap_number >= 1 and not l.is_lost_counter
)

select
    session_id,
    series,
    season,
    track,
    driver,
    lap_time,
    is_racing_lap,
    is_personal_best,
    activity_date,
    {{ dbt.date_trunc('hour', 'lap_start_time') }} as hour_start,
    cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month_start,
    _loaded_at,
    _session_version
from placed
where activity_date is not null
