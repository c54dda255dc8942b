{#- Shared config of the session marts: incremental per session, indexed / clustered for BI filters. -#}
{#- index_columns leads with session_id (the incremental key); extra_indexes serve BI filters
    such as a driver across sessions or a whole season. -#}
{% macro session_mart_config(index_columns, extra_indexes=[]) -%}
    {%- set indexes = [{'columns': index_columns}] -%}
    {%- for columns in extra_indexes -%}{%- do indexes.append({'columns': columns}) -%}{%- endfor -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='session_id',
        on_schema_change='append_new_columns',
        indexes=indexes if target.type == 'postgres' else [],
        cluster_by=index_columns if target.type == 'snowflake' else none,
        post_hook=session_contract_hooks(),
    ) }}
{%- endmacro %}
