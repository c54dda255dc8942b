{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='_batch_id',
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['session_id', 'driver', 'sample_time']}] if target.type == 'postgres' else [],
    cluster_by=['session_id', 'driver', 'sample_time'] if target.type == 'snowflake' else none,
    post_hook=[
        "{{ telemetry_drop_inactive_batches() }}",
        "{{ telemetry_partial_index('lap', ['session_id', 'driver', 'lap_number'], 'lap_number is not null') }}",
    ],
) }}
{#- Every sample, typed and flagged; incremental by load batch, written in (session, driver, time) order. -#}
with samples as (
    select *
    from {{ ref('stg_lapstack__telemetry') }}
    where _batch_id in ({{ telemetry_new_batches(ref('stg_lapstack__telemetry')) }})
)

select
    session_id,
    driver,
    sample_time,
    sample_seq,
    {{ dbt.date_trunc('hour', 'sample_time') }} as sample_hour,
    session_time,
    lap_number,
    source_lap,
    speed,
    rpm,
    gear,
    throttle,
    brake,
    drs,
    distance,
    brake_pressure_front,
    brake_pressure_rear,
    accel_x,
    accel_y,
    steering_angle,
    throttle_blade,
    latitude,
    longitude,
    ecu_time,
    {{ telemetry_is_full_throttle('throttle') }} as is_full_throttle,
    {{ telemetry_is_braking('brake', 'brake_pressure_front') }} as is_braking,
    coalesce(gear > {{ telemetry_var('telemetry_max_gear') }} or gear < 0, false) as is_gear_glitch,
    source_format,
    _batch_id,
    _source_file,
    _source_line,
    _loaded_at
from samples
order by session_id, driver, sample_time, sample_seq
