{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['session_id', 'driver'],
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['session_id', 'driver']}] if target.type == 'postgres' else [],
    cluster_by=['session_id', 'driver'] if target.type == 'snowflake' else none,
    post_hook=["{{ telemetry_drop_inactive_batches() }}"],
) }}
{#-
  The comparison for BI tools: each driver's best lap as a speed trace on a time grid of
  `telemetry_trace_step_s` seconds since the lap's first sample. Join two drivers on
  (session_id, elapsed_s) for a time-aligned speed delta; `lapstack compare` reads the same rows.
-#}
with best as (
    select
        session_id,
        driver,
        lap_number,
        first_sample_time
    from {{ ref('lap_telemetry_summary') }}
    where
        is_best_lap
        and _batch_id in ({{ telemetry_new_batches(ref('lap_telemetry_summary')) }})
),

telemetry as (
    select * from {{ ref('fct_telemetry') }}
),

samples as (
    select
        t.session_id,
        t.driver,
        b.lap_number,
        floor(
            {{ dbt.datediff('b.first_sample_time', 't.sample_time', 'millisecond') }}
            / (1000.0 * {{ telemetry_var('telemetry_trace_step_s') }})
        ) * {{ telemetry_var('telemetry_trace_step_s') }} as elapsed_s,
        t.speed,
        t.throttle,
        t.is_braking,
        t.distance,
        t._batch_id
    from telemetry as t
    inner join best as b
        on t.session_id = b.session_id and t.driver = b.driver and t.lap_number = b.lap_number
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
    min(distance) as distance,
    max(_batch_id) as _batch_id
from samples
group by session_id, driver, lap_number, elapsed_s
