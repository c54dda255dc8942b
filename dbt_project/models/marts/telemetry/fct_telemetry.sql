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
{#-
  Every sample, typed and flagged; incremental by load batch, written in (session, driver, time) order.
  Impossible values are nulled here (raw.telemetry keeps them) and flagged: throttle outside 0-100 %, gear
  outside 0-telemetry_max_gear, speed below 0 or above telemetry_max_speed_kmh, and a speed step from the
  previous recorded value faster than telemetry_max_accel_ms2 (measured from the start of the previous value's
  run: FastF1 repeats a value until the next update). Distance along the lap: the source's lap distance where
  it has one, else the lap's speed integrated over its own time (see the column description).
-#}
{%- set t_ms = dbt.datediff("cast('2000-01-01' as timestamp)", 'sample_time', 'millisecond') -%}
{%- set by_car = 'partition by session_id, driver order by sample_time, sample_seq' -%}
with samples as (
    select *
    from {{ ref('stg_lapstack__telemetry') }}
    where _batch_id in ({{ telemetry_new_batches(ref('stg_lapstack__telemetry')) }})
),

windows as (
    select * from {{ ref('telemetry_lap_windows') }}
),

timed as (
    select
        s.*,
        w.lap_start_time as official_lap_start_time,
        w.anchor_lap_time,
        {{ t_ms }} / 1000.0 as t_s,
        case
            when w.lap_start_time is not null
                then {{ dbt.datediff('w.lap_start_time', 's.sample_time', 'millisecond') }} / 1000.0 -- noqa: LT05
        end as official_elapsed_s,
        lag(s.speed) over (partition by s.session_id, s.driver order by s.sample_time, s.sample_seq) as prev_speed
    from samples as s
    left join windows as w
        on s.session_id = w.session_id and s.driver = w.driver and s.lap_number = w.lap_number
),

speed_runs as (
    select
        *,
        sum(case when prev_speed is null or speed <> prev_speed then 1 else 0 end) over (
            {{ by_car }} rows between unbounded preceding and current row
        ) as speed_run
    from timed
),

speed_run_starts as (
    select
        *,
        min(t_s) over (partition by session_id, driver, speed_run) as speed_run_start_s
    from speed_runs
),

speed_steps as (
    select
        *,
        lag(speed_run_start_s) over ({{ by_car }}) as prev_run_start_s
    from speed_run_starts
),

flagged as (
    select
        *,
        coalesce(throttle < 0 or throttle > 100, false) as is_throttle_impossible,
        coalesce(gear > {{ telemetry_var('telemetry_max_gear') }} or gear < 0, false) as is_gear_glitch,
        coalesce(
            speed < 0 or speed > {{ telemetry_var('telemetry_max_speed_kmh') }}
            or (
                speed <> prev_speed
                and abs(speed - prev_speed) / 3.6
                > {{ telemetry_var('telemetry_max_accel_ms2') }} * (t_s - prev_run_start_s)
            ),
            false
        ) as is_speed_impossible
    from speed_steps
),

cleaned as (
    select
        *,
        case when not is_speed_impossible then speed end as speed_clean,
        case when not is_throttle_impossible then throttle end as throttle_clean,
        case when not is_gear_glitch then gear end as gear_clean
    from flagged
),

lap_time_base as (
    select
        *,
        case
            when lap_number is null then null
            when official_elapsed_s is not null
                then case when official_elapsed_s > anchor_lap_time then anchor_lap_time else official_elapsed_s end
            else t_s - min(t_s) over (partition by session_id, driver, lap_number)
        end as lap_elapsed_s
    from cleaned
),

{# Integration partitions: one lap of one car, samples with a valid speed (nulled ones are skipped). #}
integrand as (
    select
        *,
        speed_clean / 3.6 as v_ms,
        lag(speed_clean / 3.6) over (
            partition by session_id, driver, lap_number, speed_clean is null order by sample_time, sample_seq
        ) as prev_v_ms,
        lag(lap_elapsed_s) over (
            partition by session_id, driver, lap_number, speed_clean is null order by sample_time, sample_seq
        ) as prev_elapsed_s
    from lap_time_base
),

segments as (
    select
        *,
        case
            when prev_v_ms is null then v_ms * lap_elapsed_s
            else (v_ms + prev_v_ms) / 2 * (lap_elapsed_s - prev_elapsed_s)
        end as segment_m
    from integrand
),

integrated as (
    select
        *,
        sum(segment_m) over (
            partition by session_id, driver, lap_number, speed_clean is null order by sample_time, sample_seq
            rows between unbounded preceding and current row
        ) as integrated_m,
        sum(segment_m) over (partition by session_id, driver, lap_number, speed_clean is null) as to_last_sample_m,
        max(lap_elapsed_s) over (partition by session_id, driver, lap_number, speed_clean is null) as last_elapsed_s,
        first_value(v_ms) over (
            partition by session_id, driver, lap_number, speed_clean is null
            order by sample_time desc, sample_seq desc
        ) as last_v_ms,
        max(distance) over (partition by session_id, driver, lap_number) as max_source_distance
    from segments
),

distances as (
    select
        *,
        case
            when lap_number is null then null
            when max_source_distance is not null then max_source_distance
            when speed_clean is null then null
            when anchor_lap_time is not null
                then to_last_sample_m + last_v_ms * (anchor_lap_time - last_elapsed_s)
            else to_last_sample_m
        end as lap_length_m,
        case
            when lap_number is null then distance
            when max_source_distance is not null then distance
            when speed_clean is not null then integrated_m
        end as lap_distance_m
    from integrated
)

select
    session_id,
    driver,
    sample_time,
    sample_seq,
    {{ dbt.date_trunc('hour', 'sample_time') }} as sample_hour,
    {{ mart_seconds('session_time') }} as session_time,
    lap_number,
    source_lap,
    {{ mart_seconds('lap_elapsed_s') }} as lap_elapsed_s,
    {{ mart_seconds('lap_elapsed_s') }} as lap_elapsed_time,
    speed_clean as speed,
    rpm,
    gear_clean as gear,
    throttle_clean as throttle,
    brake,
    drs,
    lap_distance_m as distance,
    lap_distance_m / nullif(lap_length_m, 0) as lap_fraction,
    lap_length_m,
    case when max_source_distance is not null then 'source' when lap_distance_m is not null then 'integrated' end
        as distance_method,
    brake_pressure_front,
    brake_pressure_rear,
    accel_x,
    accel_y,
    steering_angle,
    throttle_blade,
    latitude,
    longitude,
    ecu_time,
    {{ telemetry_is_full_throttle('throttle_clean') }} as is_full_throttle,
    {{ telemetry_is_braking('brake', 'brake_pressure_front') }} as is_braking,
    is_gear_glitch,
    is_throttle_impossible,
    is_speed_impossible,
    (is_gear_glitch or is_throttle_impossible or is_speed_impossible) as has_impossible_value,
    source_format,
    _batch_id,
    _source_file,
    _source_line,
    _loaded_at
from distances
order by session_id, driver, sample_time, sample_seq
