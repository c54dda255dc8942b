{#-
  Telemetry marts: incremental by load batch (fct_telemetry, per-lap summaries) or by time bucket with a
  lookback for late data (hourly / daily / monthly), plus an explicit range rebuild:
    dbt build --vars '{telemetry_rebuild_from: "2023-11-19", telemetry_rebuild_to: "2023-11-20"}'
  rebuilds only the buckets in [from, to), like the seed's aggregate_daily_trip_stats(date).
-#}

{#- Batches live in raw: anything else in the model was superseded or deleted. -#}
{% macro telemetry_active_batches() -%}
    select batch_id from {{ source('lapstack', 'load_batches') }} where status = 'active'
{%- endmacro %}

{% macro telemetry_drop_inactive_batches() -%}
    delete from {{ this }} where _batch_id not in ({{ telemetry_active_batches() }})
{%- endmacro %}

{#- Batches present upstream but not yet in this model. -#}
{% macro telemetry_new_batches(upstream) -%}
    select distinct _batch_id from {{ upstream }}
    {% if is_incremental() %}
        where _batch_id not in (select distinct _batch_id from {{ this }})
    {% endif %}
{%- endmacro %}

{#-
  Predicate on `bucket_col` of a CTE of candidate rows carrying `loaded_col`: which buckets to (re)build.
  Full build: all. Range var set: exactly that range. Otherwise buckets touched by rows loaded since the
  last build, plus the last `lookback` buckets of the model (late data for recent buckets).
-#}
{% macro telemetry_buckets_filter(bucket_col, loaded_col, candidates, grain, lookback_var) -%}
    {%- set range_from = var('telemetry_rebuild_from', none) -%}
    {%- set range_to = var('telemetry_rebuild_to', none) -%}
    {%- if range_from is not none -%}
        {{ bucket_col }} >= cast('{{ range_from }}' as timestamp)
        {%- if range_to is not none %} and {{ bucket_col }} < cast('{{ range_to }}' as timestamp){% endif %}
    {%- elif is_incremental() -%}
        (
            {{ bucket_col }} in (
                select c.{{ bucket_col }} from {{ candidates }} as c
                where c.{{ loaded_col }} >= (
                    select coalesce(max(t._max_loaded_at), cast('1900-01-01' as timestamp)) from {{ this }} as t
                )
            )
            or {{ bucket_col }} >= (
                select {{ dbt.dateadd(grain, -1 * telemetry_var(lookback_var), 'max(t.' ~ bucket_col ~ ')') }}
                from {{ this }} as t
            )
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- Postgres partial index (dbt's `indexes` config has no WHERE); nothing on other targets. -#}
{% macro telemetry_partial_index(name, columns, where) -%}
    {%- if target.type == 'postgres' -%}
        create index if not exists {{ this.identifier }}_{{ name }}
        on {{ this }} ({{ columns | join(', ') }}) where {{ where }}
    {%- endif -%}
{%- endmacro %}

{#- Shared channel semantics, thresholds from dbt vars. -#}
{% macro telemetry_is_full_throttle(throttle) -%}
    coalesce({{ throttle }} >= {{ telemetry_var('telemetry_full_throttle_pct') }}, false)
{%- endmacro %}

{% macro telemetry_is_braking(brake, pressure) -%}
    coalesce({{ brake }}, {{ pressure }} >= {{ telemetry_var('telemetry_braking_pressure_bar') }}, false)
{%- endmacro %}

{% macro telemetry_share(flag) -%}
    100.0 * avg(case when {{ flag }} then 1.0 else 0.0 end)
{%- endmacro %}

{#- Telemetry vars with their defaults (override with --vars); kept here so dbt_project.yml stays shared. -#}
{% macro telemetry_var(name) -%}
    {%- set defaults = {
        'telemetry_full_throttle_pct': 99,
        'telemetry_braking_pressure_bar': 5,
        'telemetry_max_gear': 8,
        'telemetry_min_plausible_lap_ms': 20000,
        'telemetry_max_plausible_lap_ms': 1800000,
        'telemetry_lookback_hours': 3,
        'telemetry_lookback_days': 2,
        'telemetry_lookback_months': 1,
        'telemetry_trace_step_s': 1,
    } -%}
    {{- return(var(name, defaults[name])) -}}
{%- endmacro %}
