{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='session_id',
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['session_id']}, {'columns': ['_loaded_at']}, {'columns': ['activity_date']},
             {'columns': ['month_start']}] if target.type == 'postgres' else [],
    cluster_by=['activity_date'] if target.type == 'snowflake' else none,
    post_hook=session_contract_hooks(),
) }}
{#- The lap activity marts' per-bucket ledger of sessions (issue 15): one row per session, driver and UTC hour
    (day, for laps without an hour) with what the marts aggregate, so a mart rebuilds a bucket from some tens of
    rows per session instead of every lap of every session in it, and finds the buckets to rebuild without
    scanning every lap of the warehouse. Incremental per session like the session marts (sessions_to_build:
    only the sessions whose current version it lacks are read). The counts add up across rows; distinct
    sessions and drivers stay exact because a row keeps its session and driver; a bucket's fastest lap is the
    fastest of its rows' fastest laps, ties broken by session then driver as over the laps. -#}
with laps as (
    {{ sessions_import(ref('int_laps__activity'), ref('dim_sessions')) }}
)

select
    session_id,
    driver,
    series,
    season,
    track,
    activity_date,
    hour_start,
    month_start,
    cast(count(*) as bigint) as laps,
    cast(sum(case when is_personal_best then 1 else 0 end) as bigint) as personal_best_laps,
    min(case when is_racing_lap then lap_time end) as fastest_lap_time,
    max(_loaded_at) as _loaded_at,
    _session_version
from laps
group by session_id, driver, series, season, track, activity_date, hour_start, month_start, _session_version
