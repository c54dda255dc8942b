{{ time_bucket_mart_config(
    unique_key=['track', 'hour_start'],
    index_columns=[['hour_start'], ['track', 'hour_start']],
    post_hook=["{{ drop_empty_buckets(ref('int_laps__activity_ledger'), ['track', 'hour_start']) }}"],
    cluster_by=['hour_start', 'track'],
) }}
{#- Per track and UTC hour, laps and drivers on track, from every lap with a UTC start (int_laps__activity_ledger):
    a lap counts in the hour it started. Incremental: hours holding laps loaded since the last build, plus
    the last `telemetry_lookback_hours` hours; `telemetry_rebuild_from/_to` rebuild a range. -#}
with laps as (
    select * from {{ ref('int_laps__activity_ledger') }}
),

{{ activity_bucket_mart(['track', 'hour_start'], 'hour', 'telemetry_lookback_hours') }}
