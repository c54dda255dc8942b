{#-
  Telemetry marts: incremental by load batch (fct_telemetry, per-lap summaries) or by time bucket with a
  lookback for late data (hourly / daily / monthly), plus an explicit range rebuild:
    dbt build --vars '{telemetry_rebuild_from: "2023-11-19", telemetry_rebuild_to: "2023-11-20"}'
  rebuilds only the buckets in [from, to).
-#}
{#-
  Predicate on `bucket_col` of a CTE of candidate rows carrying `loaded_col`: which buckets to (re)build.
  Full build: all. Range var set: exactly that range. Otherwise buckets touched by rows loaded since the
  last build, plus the last `lookback` buckets of the model (late data for recent buckets).
-#}
{% macro telemetry_buckets_filter(bucket_col, loaded_col, candidates, grain, lookback_var) -%}
    {%- set range_from = timestamp_var('telemetry_rebuild_from') -%}
    {%- set range_to = timestamp_var('telemetry_rebuild_to') -%}
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
