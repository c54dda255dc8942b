{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['session_id', 'driver'],
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['session_id', 'driver', 'lap_number']}] if target.type == 'postgres' else [],
    cluster_by=['session_id', 'driver'] if target.type == 'snowflake' else none,
    post_hook=[
        "{{ telemetry_drop_inactive_batches() }}",
        "{{ telemetry_partial_index('best', ['session_id', 'driver'], 'is_best_lap') }}",
    ],
) }}
{#-
  One row per session, driver and timed lap, from the samples inside that lap only (samples outside every lap,
  e.g. after a retirement, are not here; session_driver_telemetry counts them). Channel values are fct_telemetry's,
  where impossible values are already null. Rebuilt for the (session, driver) pairs whose batch is new.
-#}
with samples as (
    select *
    from {{ ref('fct_telemetry') }}
    where
        _batch_id in ({{ telemetry_new_batches(ref('fct_telemetry')) }})
        and lap_number is not null
),

laps as (
    select
        session_id,
        driver,
        lap_number,
        lap_time,
        is_racing_lap,
        is_personal_best
    from {{ ref('fct_laps') }}
),

gear_steps as (
    select
        session_id,
        driver,
        lap_number,
        gear,
        lag(gear) over (partition by session_id, driver order by sample_time, sample_seq) as previous_gear
    from samples
    where gear is not null
),

gear_changes as (
    select
        session_id,
        driver,
        lap_number,
        sum(case when previous_gear is not null and gear <> previous_gear then 1 else 0 end) as gear_changes
    from gear_steps
    group by session_id, driver, lap_number
),

per_lap as (
    select
        session_id,
        driver,
        lap_number,
        count(*) as sample_count,
        count(speed) as speed_samples,
        count(throttle) as throttle_samples,
        min(sample_time) as first_sample_time,
        max(sample_time) as last_sample_time,
        max(speed) as max_speed,
        avg(speed) as avg_speed,
        {{ telemetry_share('is_full_throttle', 'throttle') }} as full_throttle_pct,
        {{ telemetry_share('is_braking') }} as braking_pct,
        max(rpm) as max_rpm,
        max(lap_length_m) as lap_length_m,
        max(distance_method) as distance_method,
        sum(case when is_gear_glitch then 1 else 0 end) as gear_glitch_samples,
        sum(case when has_impossible_value then 1 else 0 end) as impossible_value_samples,
        max(_batch_id) as _batch_id,
        max(_loaded_at) as _loaded_at
    from samples
    group by session_id, driver, lap_number
),

joined as (
    select
        p.*,
        coalesce(g.gear_changes, 0) as gear_changes,
        l.lap_time,
        coalesce(l.is_racing_lap, false) as is_racing_lap,
        {{ dbt.datediff('p.first_sample_time', 'p.last_sample_time', 'millisecond') }} / 1000.0 -- noqa: LT05
            as telemetry_span_s
    from per_lap as p
    left join gear_changes as g
        on
            p.session_id = g.session_id and p.driver = g.driver and p.lap_number = g.lap_number
    left join laps as l
        on p.session_id = l.session_id and p.driver = l.driver and p.lap_number = l.lap_number
),

ranked as (
    select
        *,
        row_number() over (
            partition by session_id, driver
            order by case when is_racing_lap then 0 else 1 end asc, lap_time asc, telemetry_span_s desc
        ) as best_rank
    from joined
)

select
    session_id,
    driver,
    lap_number,
    sample_count,
    speed_samples,
    throttle_samples,
    first_sample_time,
    last_sample_time,
    {{ mart_seconds('telemetry_span_s') }} as telemetry_span_s,
    {{ mart_seconds('telemetry_span_s') }} as telemetry_span_time,
    {{ mart_seconds('lap_time') }} as lap_time,
    is_racing_lap,
    coalesce(best_rank = 1, false) as is_best_lap,
    max_speed,
    avg_speed,
    full_throttle_pct,
    braking_pct,
    max_rpm,
    cast(gear_changes as bigint) as gear_changes,
    lap_length_m,
    distance_method,
    cast(gear_glitch_samples as bigint) as gear_glitch_samples,
    cast(impossible_value_samples as bigint) as impossible_value_samples,
    _batch_id,
    _loaded_at
from ranked
