{{ time_bucket_mart_config(
    unique_key=['series', 'month_start'],
    index_columns=[['series', 'month_start']],
    post_hook=["{{ drop_empty_buckets(ref('int_laps__activity_ledger'), ['series', 'month_start']) }}"],
    cluster_by=['month_start', 'series'],
) }}
{#- Per series and calendar month (UTC), from every lap placed in time (int_laps__activity, summed per session,
    driver and hour in int_laps__activity_ledger). Incremental:
    months holding laps loaded since the last build, plus the last `telemetry_lookback_months` months;
    `telemetry_rebuild_from/_to` rebuild a range. -#}
with laps as (
    select * from {{ ref('int_laps__activity_ledger') }}
),

{{ activity_bucket_mart(['series', 'month_start'], 'month', 'telemetry_lookback_months') }}
