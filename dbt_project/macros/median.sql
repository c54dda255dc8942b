{#- Interpolated median (percentile_cont 0.5) as an aggregate, on every target. -#}
{% macro median(expr) -%}
    {{ return(adapter.dispatch('median', 'lapstack')(expr)) }}
{%- endmacro %}

{% macro default__median(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__median(expr) -%}
    quantile_cont({{ expr }}, 0.5)
{%- endmacro %}

{% macro snowflake__median(expr) -%}
    median({{ expr }})
{%- endmacro %}
