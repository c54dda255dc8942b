{#- Shared config of the time-bucketed marts (telemetry and lap activity: per hour, day or month): incremental
    by bucket with delete+insert on `unique_key` (the buckets the window macro selects are replaced whole),
    indexed / clustered on the bucket for BI filters. `index_columns` is a list of column lists (Postgres
    indexes); `cluster_by` the Snowflake clustering keys; `post_hook` e.g. drop_empty_buckets.
    Not dbt's `microbatch`: its batches follow the wall clock (a 2023 race loaded today is never rebuilt), a
    first build is one query per batch since `begin`, and dbt-postgres runs it as a MERGE that never drops an
    emptied bucket (README, Telemetry). -#}
{% macro time_bucket_mart_config(unique_key, index_columns, cluster_by, post_hook=[]) -%}
    {%- set indexes = [] -%}
    {%- for columns in index_columns -%}{%- do indexes.append({'columns': columns}) -%}{%- endfor -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=unique_key,
        on_schema_change='append_new_columns',
        indexes=indexes if target.type == 'postgres' else [],
        cluster_by=cluster_by if target.type == 'snowflake' else none,
        post_hook=post_hook,
    ) }}
{%- endmacro %}
