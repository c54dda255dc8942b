{#- Shared channel semantics: percentage of rows where the flag holds (of the rows where `valid` is not null). -#}
{% macro telemetry_share(flag, valid=none) -%}
    {%- if valid is none -%}
    100.0 * avg(case when {{ flag }} then 1.0 else 0.0 end)
    {%- else -%}
    100.0 * avg(case when {{ valid }} is null then null when {{ flag }} then 1.0 else 0.0 end)
    {%- endif -%}
{%- endmacro %}
