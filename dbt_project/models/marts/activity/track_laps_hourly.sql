{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['track', 'hour_start'],
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['hour_start']}, {'columns': ['track', 'hour_start']}]
    if target.type == 'postgres' else [],
    cluster_by=['hour_start', 'track'] if target.type == 'snowflake' else none,
) }}
{#- Per track and UTC hour, laps and drivers on track, from every lap with a UTC start (int_laps__activity):
    a lap counts in the hour it started. Incremental: hours holding laps loaded since the last build, plus
    the last `telemetry_lookback_hours` hours; `telemetry_rebuild_from/_to` rebuild a range. -#}
with laps as (
    select * from {{ ref('int_laps__activity') }}
),

{{ activity_bucket_mart(['track', 'hour_start'], 'hour', 'telemetry_lookback_hours') }}
