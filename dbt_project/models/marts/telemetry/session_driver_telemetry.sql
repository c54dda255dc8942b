{{ config(
    indexes=[{'columns': ['session_id', 'driver']}] if target.type == 'postgres' else [],
    cluster_by=['session_id', 'driver'] if target.type == 'snowflake' else none,
) }}
{#- Per session and driver, from the per-lap summary (tiny): the comparison's headline numbers. -#}
with lap_summaries as (
    select * from {{ ref('lap_telemetry_summary') }}
)

select
    session_id,
    driver,
    count(lap_number) as laps,
    sum(sample_count) as samples,
    sum(avg_speed * speed_samples) / nullif(sum(speed_samples), 0) as avg_speed,
    max(max_speed) as max_speed,
    sum(full_throttle_pct * sample_count) / sum(sample_count) as full_throttle_pct,
    sum(braking_pct * sample_count) / sum(sample_count) as braking_pct,
    max(max_rpm) as max_rpm,
    sum(gear_changes) as gear_changes,
    sum(gear_glitch_samples) as gear_glitch_samples,
    max(case when is_best_lap then lap_number end) as best_lap_number,
    min(case when is_best_lap then lap_time end) as best_lap_time
from lap_summaries
group by session_id, driver
