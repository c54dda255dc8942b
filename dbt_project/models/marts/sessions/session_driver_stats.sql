{#- Rows are written ordered by session: DuckDB zone maps then read only that session's row group.
    Which laps count for what: macros/lap_validity.sql (official-eligible laps, pace laps). -#}
{{ session_mart_config(['session_id', 'driver'], [['driver'], ['series', 'season']]) }}

with laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

flagged as (
    select
        *,
        -- A complete pace lap has all three sectors timed: only those give sector bests for the optimal lap.
        is_pace_lap and sector_1_time > 0 and sector_2_time > 0 and sector_3_time > 0 as is_complete_pace_lap
    from laps
),

per_driver as (
    select
        {{ session_key_columns() }},
        driver,
        _session_version,
        count(*) as lap_count,
        count(case when is_racing_lap then 1 end) as racing_lap_count,
        min(case when is_fastest_lap_eligible then lap_time end) as best_lap_time,
        avg(case when is_racing_lap then lap_time end) as avg_lap_time,
        stddev_samp(case when is_racing_lap then lap_time end) as consistency,
        count(case when is_pace_lap then 1 end) as pace_lap_count,
        min(case when is_pace_lap then lap_time end) as pace_best_lap_time,
        avg(case when is_pace_lap then lap_time end) as pace_avg_lap_time,
        {{ median('case when is_pace_lap then lap_time end') }} as pace_median_lap_time,
        stddev_samp(case when is_pace_lap then lap_time end) as pace_consistency,
        min(case when is_complete_pace_lap then sector_1_time end) as best_sector_1_time,
        min(case when is_complete_pace_lap then sector_2_time end) as best_sector_2_time,
        min(case when is_complete_pace_lap then sector_3_time end) as best_sector_3_time,
        min(case when is_personal_best then lap_number end) as best_lap_number,
        max(
            case
                when lap_number >= 1 and not is_lost_counter and not is_unfinished_lap then lap_number
            end
        ) as laps_completed
    from flagged
    group by {{ session_key_columns() }}, driver, _session_version
),

optimal as (
    select
        *,
        best_sector_1_time + best_sector_2_time + best_sector_3_time as sector_sum_time
    from per_driver
)

select
    {{ session_key_columns() }},
    driver,
    {{ mart_seconds('best_lap_time') }} as best_lap_time,
    best_lap_number,
    -- Never slower than the best pace lap it claims to improve on: that lap is itself a whole candidate.
    {%- set faster = 'sector_sum_time > pace_best_lap_time' %}
    {{ mart_seconds('case when ' ~ faster ~ ' then pace_best_lap_time else sector_sum_time end') }} as optimal_lap_time,
    {{ mart_seconds('best_sector_1_time') }} as best_sector_1_time,
    {{ mart_seconds('best_sector_2_time') }} as best_sector_2_time,
    {{ mart_seconds('best_sector_3_time') }} as best_sector_3_time,
    lap_count,
    racing_lap_count,
    {{ mart_seconds('avg_lap_time') }} as avg_lap_time,
    {{ mart_seconds('consistency') }} as consistency,
    racing_lap_count > 0 as has_racing_laps,
    coalesce(laps_completed, 0) as laps_completed,
    pace_lap_count,
    {{ mart_seconds('pace_best_lap_time') }} as pace_best_lap_time,
    {{ mart_seconds('pace_avg_lap_time') }} as pace_avg_lap_time,
    {{ mart_seconds('pace_median_lap_time') }} as pace_median_lap_time,
    {{ mart_seconds('pace_consistency') }} as pace_consistency,
    _session_version
from optimal
order by session_id, driver
