{{ config(
    indexes=[{'columns': ['session_id', 'driver']}] if target.type == 'postgres' else [],
    cluster_by=['session_id', 'driver'] if target.type == 'snowflake' else none,
) }}
{#-
  Per session and driver: the comparison's headline numbers from the on-lap samples only (the per-lap summary),
  plus counts over all of the driver's samples: outside every lap, and carrying an impossible value.
-#}
with lap_summaries as (
    select * from {{ ref('lap_telemetry_summary') }}
),

all_samples as (
    select
        session_id,
        driver,
        count(*) as all_samples,
        sum(case when lap_number is null then 1 else 0 end) as off_lap_samples,
        sum(case when has_impossible_value then 1 else 0 end) as impossible_value_samples,
        sum(case when is_throttle_impossible then 1 else 0 end) as impossible_throttle_samples,
        sum(case when is_gear_glitch then 1 else 0 end) as impossible_gear_samples,
        sum(case when is_speed_impossible then 1 else 0 end) as impossible_speed_samples
    from {{ ref('fct_telemetry') }}
    group by session_id, driver
),

on_lap as (
    select
        session_id,
        driver,
        count(lap_number) as laps,
        sum(sample_count) as samples,
        sum(avg_speed * speed_samples) / nullif(sum(speed_samples), 0) as avg_speed,
        max(max_speed) as max_speed,
        sum(full_throttle_pct * throttle_samples) / nullif(sum(throttle_samples), 0) as full_throttle_pct,
        sum(braking_pct * sample_count) / sum(sample_count) as braking_pct,
        max(max_rpm) as max_rpm,
        sum(gear_changes) as gear_changes,
        sum(gear_glitch_samples) as gear_glitch_samples,
        max(case when is_best_lap then lap_number end) as best_lap_number,
        min(case when is_best_lap then lap_time end) as best_lap_time,
        coalesce(max(case when is_best_lap and is_racing_lap then 1 else 0 end) = 1, false) as best_lap_is_racing_lap
    from lap_summaries
    group by session_id, driver
)

select
    a.session_id,
    a.driver,
    coalesce(o.laps, 0) as laps,
    cast(coalesce(o.samples, 0) as bigint) as samples,
    o.avg_speed,
    o.max_speed,
    o.full_throttle_pct,
    o.braking_pct,
    o.max_rpm,
    cast(o.gear_changes as bigint) as gear_changes,
    cast(coalesce(o.gear_glitch_samples, 0) as bigint) as gear_glitch_samples,
    o.best_lap_number,
    {{ mart_seconds('o.best_lap_time') }} as best_lap_time,
    coalesce(o.best_lap_is_racing_lap, false) as best_lap_is_racing_lap,
    a.all_samples,
    cast(a.off_lap_samples as bigint) as off_lap_samples,
    cast(a.impossible_value_samples as bigint) as impossible_value_samples,
    cast(a.impossible_throttle_samples as bigint) as impossible_throttle_samples,
    cast(a.impossible_gear_samples as bigint) as impossible_gear_samples,
    cast(a.impossible_speed_samples as bigint) as impossible_speed_samples
from all_samples as a
left join on_lap as o on a.session_id = o.session_id and a.driver = o.driver
