{{ time_bucket_mart_config(
    unique_key=['series', 'month_start'],
    index_columns=[['series', 'month_start']],
    cluster_by=['month_start', 'series'],
) }}
{#-
  Per series per calendar month (of the sessions' telemetry days): events, sessions, laps, drivers,
  fastest laps and telemetry volume. Incremental with a `telemetry_lookback_months` lookback.
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
        series,
        event,
        cast({{ dbt.date_trunc('month', 'first_sample_time') }} as date) as month_start
    from session_starts
),

samples as (
    select
        se.series,
        se.month_start,
        cast(sum(h.samples) as bigint) as telemetry_samples,
        max(h._max_loaded_at) as loaded_at
    from hourly as h
    inner join sessions as se on h.session_id = se.session_id
    group by se.series, se.month_start
),

session_laps as (
    -- a session's laps count in the month of its first telemetry sample
    {{ activity_session_laps('laps', 'sessions', ['series', 'month_start']) }}
),

lap_totals as (
    {{ activity_bucket_totals('session_laps', ['series', 'month_start']) }}
),

driver_months as (
    select
        se.series,
        se.month_start,
        h.driver
    from hourly as h
    inner join sessions as se on h.session_id = se.session_id
    union
    select
        se.series,
        se.month_start,
        l.driver
    from laps as l
    inner join sessions as se on l.session_id = se.session_id
),

drivers as (
    select
        series,
        month_start,
        count(*) as drivers
    from driver_months
    group by series, month_start
),

counts as (
    select
        series,
        month_start,
        count(distinct event) as events,
        count(*) as sessions
    from sessions
    group by series, month_start
),

activity as (
    select
        s.series,
        s.month_start,
        c.events,
        c.sessions,
        coalesce(l.laps, 0) as laps,
        d.drivers,
        coalesce(l.personal_best_laps, 0) as personal_best_laps,
        {{ mart_seconds('l.fastest_lap_time') }} as fastest_lap_time,
        s.telemetry_samples,
        case when l.loaded_at > s.loaded_at then l.loaded_at else s.loaded_at end as _max_loaded_at
    from samples as s
    inner join counts as c on s.series = c.series and s.month_start = c.month_start
    inner join drivers as d on s.series = d.series and s.month_start = d.month_start
    left join lap_totals as l on s.series = l.series and s.month_start = l.month_start
)

select *
from activity
where {{ telemetry_buckets_filter('month_start', '_max_loaded_at', 'activity', 'month', 'telemetry_lookback_months') }}
