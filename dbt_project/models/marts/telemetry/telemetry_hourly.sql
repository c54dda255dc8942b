{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['session_id', 'driver', 'hour_start'],
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['hour_start']}, {'columns': ['driver', 'hour_start']}]
    if target.type == 'postgres' else [],
    cluster_by=['hour_start', 'driver'] if target.type == 'snowflake' else none,
    post_hook=["{{ telemetry_drop_inactive_batches() }}"],
) }}
{#-
  Per car per hour. Incremental: hours holding samples loaded since the last build, plus the last
  `telemetry_lookback_hours` hours (late data); `telemetry_rebuild_from/_to` rebuild a given range.
-#}
with loaded as (
    select
        sample_hour as hour_start,
        max(_loaded_at) as loaded_at
    from {{ ref('fct_telemetry') }}
    group by sample_hour
),

hours as (
    select hour_start
    from loaded
    where {{ telemetry_buckets_filter('hour_start', 'loaded_at', 'loaded', 'hour', 'telemetry_lookback_hours') }}
),

samples as (
    select * from {{ ref('fct_telemetry') }}
    where sample_hour in (select h.hour_start from hours as h)
)

select
    t.session_id,
    t.driver,
    t.sample_hour as hour_start,
    count(*) as samples,
    avg(t.speed) as avg_speed,
    max(t.speed) as max_speed,
    {{ telemetry_share('t.is_full_throttle') }} as full_throttle_share_pct,
    {{ telemetry_share('t.is_braking') }} as braking_share_pct,
    max(t._batch_id) as _batch_id,
    max(t._loaded_at) as _max_loaded_at
from samples as t
group by t.session_id, t.driver, t.sample_hour
