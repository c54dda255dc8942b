{#- Shared channel semantics: braking is the pedal flag, else front brake pressure at or above a dbt-var threshold. -#}
{% macro telemetry_is_braking(brake, pressure) -%}
    coalesce({{ brake }}, {{ pressure }} >= {{ telemetry_var('telemetry_braking_pressure_bar') }}, false)
{%- endmacro %}
