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
  Each driver's best lap (lap_telemetry_summary.is_best_lap: fastest racing lap) on distance: one row per
  on-lap sample with a distance. The official anchors are implied: the start line is (0 s, 0 m), the finish
  line (lap_time, lap_length_m). `lapstack compare` interpolates two of these onto one metre grid; BI tools join
  two drivers on (session_id, lap_permille) for a position-aligned comparison.
-#}
with best as (
    select
        session_id,
        driver,
        lap_number,
        lap_time,
        is_racing_lap
    from {{ ref('lap_telemetry_summary') }}
    where
        is_best_lap
        and _batch_id in ({{ telemetry_new_batches(ref('lap_telemetry_summary')) }})
),

samples as (
    select
        t.session_id,
        t.driver,
        t.lap_number,
        b.lap_time,
        b.is_racing_lap,
        t.sample_time,
        t.sample_seq,
        t.lap_elapsed_s,
        t.distance as distance_m,
        t.lap_fraction,
        t.lap_length_m,
        t.distance_method,
        t.speed,
        t.throttle,
        t.is_braking,
        t.gear,
        t._batch_id
    from {{ ref('fct_telemetry') }} as t
    inner join best as b
        on t.session_id = b.session_id and t.driver = b.driver and t.lap_number = b.lap_number
    where t.distance is not null
)

select
    session_id,
    driver,
    lap_number,
    {{ mart_seconds('lap_time') }} as lap_time,
    is_racing_lap,
    sample_time,
    sample_seq,
    {{ mart_seconds('lap_elapsed_s') }} as lap_elapsed_s,
    {{ mart_seconds('lap_elapsed_s') }} as lap_elapsed_time,
    distance_m,
    lap_fraction,
    lap_length_m,
    distance_method,
    floor(lap_fraction * 1000) as lap_permille,
    speed,
    throttle,
    is_braking,
    gear,
    _batch_id
from samples
