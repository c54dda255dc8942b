{{ time_bucket_mart_config(
    unique_key=['track', 'activity_date'],
    index_columns=[['activity_date'], ['track', 'activity_date']],
    post_hook=["{{ drop_empty_buckets(ref('int_laps__activity_ledger'), ['track', 'activity_date']) }}"],
    cluster_by=['activity_date', 'track'],
) }}
{#- Per track and UTC day, from every lap placed in time (int_laps__activity, summed per session, driver and
    hour in int_laps__activity_ledger), not only sessions with
    telemetry. Incremental: days holding laps loaded since the last build, plus the last
    `telemetry_lookback_days` days; `telemetry_rebuild_from/_to` rebuild a range. -#}
with laps as (
    select * from {{ ref('int_laps__activity_ledger') }}
),

{{ activity_bucket_mart(['track', 'activity_date'], 'day', 'telemetry_lookback_days') }}
