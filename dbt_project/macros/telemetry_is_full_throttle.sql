{#- Shared channel semantics: full throttle at or above a dbt-var threshold. -#}
{% macro telemetry_is_full_throttle(throttle) -%}
    coalesce({{ throttle }} >= {{ telemetry_var('telemetry_full_throttle_pct') }}, false)
{%- endmacro %}
