{#-
  DEPRECATED alias kept so BI relations do not disappear: best_lap_distance_trace bucketed by time.
  The per-second trace used to be computed from the samples (its own copy of the best-lap join); it is now
  a thin rollup of the distance mart (a small table like every mart, so every target lists it; the
  Snowflake emulator leaves views out of information_schema.tables): each bucket of `telemetry_trace_step_s`
  seconds since the official lap start holds the distance grid points whose lap time falls in it. `samples`
  counts those grid points.
-#}
{{ config(
    indexes=[{'columns': ['session_id', 'driver']}] if target.type == 'postgres' else [],
    cluster_by=['session_id', 'driver'] if target.type == 'snowflake' else none,
) }}

with trace as (
    select * from {{ ref('best_lap_distance_trace') }}
),

bucketed as (
    select
        session_id,
        driver,
        lap_number,
        floor(lap_elapsed_s / {{ telemetry_var('telemetry_trace_step_s') }})
        * {{ telemetry_var('telemetry_trace_step_s') }} as elapsed_s,
        speed,
        throttle,
        is_braking,
        distance_m,
        _batch_id
    from trace
)

select
    session_id,
    driver,
    lap_number,
    {{ mart_seconds('elapsed_s') }} as elapsed_s,
    {{ mart_seconds('elapsed_s') }} as elapsed_time,
    count(*) as samples,
    avg(speed) as avg_speed,
    max(speed) as max_speed,
    avg(throttle) as avg_throttle,
    {{ telemetry_share('is_braking') }} as braking_share_pct,
    min(distance_m) as distance,
    max(_batch_id) as _batch_id
from bucketed
group by session_id, driver, lap_number, elapsed_s
