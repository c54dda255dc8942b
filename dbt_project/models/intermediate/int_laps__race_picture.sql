{#- One row per lap row (keyed like int_laps__unioned by session_id, _batch_id, _source_line): the race
    picture fct_laps joins additively. Weather is the sample nearest in time to the moment the lap ended
    (FastF1: session time; GR Cup: UTC), within `weather_max_distance_s`; none nearer stays null. -#}
with timing as (
    select * from {{ ref('int_laps__timing') }}
),

weather_timing as (
    -- the same view imported twice, not one CTE read twice: Postgres and DuckDB materialize a CTE read twice
    -- whole, and a mart's `session_id` filter on this view would then no longer reach the raw scans
    select * from {{ ref('int_laps__timing') }}
),

positions as (
    select * from {{ ref('int_laps__positions') }}
),

weather_samples as (
    -- FastF1 API and export samples and GR Cup samples, one source per session, in one shape
    select * from {{ ref('int_conditions__weather') }}
),

nearest_weather as (
    select
        t.session_id,
        t._batch_id,
        t._source_line,
        w.air_temp_c,
        w.track_temp_c,
        w.is_raining,
        row_number() over (
            partition by t.session_id, t._batch_id, t._source_line
            order by abs(w.sample_clock - t.weather_clock), w.sample_clock
        ) as distance_rank
    from weather_timing as t
    inner join weather_samples as w
        on
            t.session_id = w.session_id
            and t.weather_clock_kind = w.clock_kind
            and w.sample_clock between t.weather_clock - {{ number_var('weather_max_distance_s') }}
            and t.weather_clock + {{ number_var('weather_max_distance_s') }}
)

select
    t.session_id,
    t._batch_id,
    t._source_line,
    t.lap_start_time,
    t.team,
    p.position,
    p.gap_to_leader,
    p.interval_to_ahead,
    t.stint,
    t.compound,
    t.tyre_life,
    t.track_status,
    w.air_temp_c,
    w.track_temp_c,
    w.is_raining
from timing as t
left join positions as p
    on
        t.session_id = p.session_id
        and t._batch_id = p._batch_id
        and t._source_line = p._source_line
left join nearest_weather as w
    on
        t.session_id = w.session_id
        and t._batch_id = w._batch_id
        and t._source_line = w._source_line
        and w.distance_rank = 1
