{{ time_bucket_mart_config(
    unique_key=['track', 'activity_date'],
    index_columns=[['activity_date'], ['track', 'activity_date']],
    cluster_by=['activity_date', 'track'],
) }}
{#-
  Per track (the session's event) per day of running. A session's laps count on the day its telemetry
  starts (lap files carry no calendar date); sessions without telemetry have no day and are not here.
  Built from the small marts only; incremental with a `telemetry_lookback_days` lookback.
-#}
with lap_summaries as (
    select
        session_id,
        first_sample_time
    from {{ ref('lap_telemetry_summary') }}
),

dim_sessions as (
    select
        session_id,
        series,
        event
    from {{ ref('dim_sessions') }}
),

hourly as (
    select
        session_id,
        driver,
        hour_start,
        samples,
        _max_loaded_at
    from {{ ref('telemetry_hourly') }}
),

laps as (
    select
        session_id,
        driver,
        lap_time,
        is_racing_lap,
        is_personal_best,
        _loaded_at
    from {{ ref('fct_laps') }}
),

session_starts as (
    {{ telemetry_session_starts('lap_summaries', 'dim_sessions') }}
),

sessions as (
    select
        session_id,
        cast(first_sample_time as date) as activity_date,
        event as track,
        series
    from session_starts
),

samples as (
    select
        se.track,
        cast(h.hour_start as date) as activity_date,
        cast(sum(h.samples) as bigint) as telemetry_samples,
        count(distinct h.driver) as drivers,
        max(h._max_loaded_at) as loaded_at
    from hourly as h
    inner join sessions as se on h.session_id = se.session_id
    group by se.track, cast(h.hour_start as date)
),

session_laps as (
    -- a session's laps count on its first telemetry day
    {{ activity_session_laps('laps', 'sessions', ['track', 'activity_date']) }}
),

lap_totals as (
    {{ activity_bucket_totals('session_laps', ['track', 'activity_date']) }}
),

fastest as (
    {{ activity_bucket_fastest('session_laps', ['track', 'activity_date']) }}
),

day_sessions as (
    select
        track,
        activity_date,
        count(*) as sessions
    from sessions
    group by track, activity_date
),

activity as (
    select
        s.track,
        s.track as event,
        s.activity_date,
        coalesce(ds.sessions, 0) as sessions,
        coalesce(l.laps, 0) as laps,
        s.drivers,
        {{ mart_seconds('l.fastest_lap_time') }} as fastest_lap_time,
        f.fastest_lap_driver,
        f.fastest_lap_session_id,
        s.telemetry_samples,
        case when l.loaded_at > s.loaded_at then l.loaded_at else s.loaded_at end as _max_loaded_at
    from samples as s
    left join day_sessions as ds on s.track = ds.track and s.activity_date = ds.activity_date
    left join lap_totals as l on s.track = l.track and s.activity_date = l.activity_date
    left join fastest as f
        on s.track = f.track and s.activity_date = f.activity_date and f.rank_in_bucket = 1
)

select *
from activity
where {{ telemetry_buckets_filter('activity_date', '_max_loaded_at', 'activity', 'day', 'telemetry_lookback_days') }}
