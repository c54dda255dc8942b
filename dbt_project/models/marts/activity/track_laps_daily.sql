{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['track', 'activity_date'],
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['activity_date']}, {'columns': ['track', 'activity_date']}]
    if target.type == 'postgres' else [],
    cluster_by=['activity_date', 'track'] if target.type == 'snowflake' else none,
) }}
{#- Per track and UTC day, from every lap placed in time (int_laps__activity), not only sessions with
    telemetry. Incremental: days holding laps loaded since the last build, plus the last
    `telemetry_lookback_days` days; `telemetry_rebuild_from/_to` rebuild a range. -#}
with laps as (
    select * from {{ ref('int_laps__activity') }}
),

{{ activity_bucket_mart(['track', 'activity_date'], 'day', 'telemetry_lookback_days') }}
