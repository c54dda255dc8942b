{#- Postgres partial index (dbt's `indexes` config has no WHERE); nothing on other targets. -#}
{% macro telemetry_partial_index(name, columns, where) -%}
    {%- if target.type == 'postgres' -%}
        create index if not exists {{ this.identifier }}_{{ name }}
        on {{ this }} ({{ columns | join(', ') }}) where {{ where }}
    {%- endif -%}
{%- endmacro %}
