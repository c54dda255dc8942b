{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['series', 'month_start'],
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['series', 'month_start']}] if target.type == 'postgres' else [],
    cluster_by=['month_start', 'series'] if target.type == 'snowflake' else none,
) }}
{#- Per series and calendar month (UTC), from every lap placed in time (int_laps__activity). Incremental:
    months holding laps loaded since the last build, plus the last `telemetry_lookback_months` months;
    `telemetry_rebuild_from/_to` rebuild a range. -#}
with laps as (
    select * from {{ ref('int_laps__activity') }}
),

{{ activity_bucket_mart(['series', 'month_start'], 'month', 'telemetry_lookback_months') }}
