{#- Rows are written ordered by session: DuckDB zone maps then read only that session's row group. -#}
{{ session_mart_config(['session_id', 'driver'], [['driver'], ['series', 'season']]) }}

with laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

per_driver as (
    select
        session_id,
        series,
        season,
        event,
        session_name,
        driver,
        _session_version,
        count(*) as lap_count,
        count(case when is_racing_lap then 1 end) as racing_lap_count,
        min(case when is_racing_lap then lap_time end) as best_lap_time,
        avg(case when is_racing_lap then lap_time end) as avg_lap_time,
        stddev_samp(case when is_racing_lap then lap_time end) as consistency,
        min(case when is_racing_lap and sector_1_time > 0 then sector_1_time end) as best_sector_1_time,
        min(case when is_racing_lap and sector_2_time > 0 then sector_2_time end) as best_sector_2_time,
        min(case when is_racing_lap and sector_3_time > 0 then sector_3_time end) as best_sector_3_time,
        min(case when is_personal_best then lap_number end) as best_lap_number
    from laps
    group by session_id, series, season, event, session_name, driver, _session_version
)

select
    session_id,
    series,
    season,
    event,
    session_name,
    driver,
    best_lap_time,
    best_lap_number,
    best_sector_1_time + best_sector_2_time + best_sector_3_time as optimal_lap_time,
    best_sector_1_time,
    best_sector_2_time,
    best_sector_3_time,
    lap_count,
    racing_lap_count,
    avg_lap_time,
    consistency,
    racing_lap_count > 0 as has_racing_laps,
    _session_version
from per_driver
order by session_id, driver
