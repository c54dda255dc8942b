{#- Shared channel semantics: percentage of rows where the flag holds. -#}
{% macro telemetry_share(flag) -%}
    100.0 * avg(case when {{ flag }} then 1.0 else 0.0 end)
{%- endmacro %}
