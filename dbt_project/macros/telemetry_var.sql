{#- Telemetry vars with their defaults (override with --vars); kept here so dbt_project.yml stays shared. -#}
{% macro telemetry_var(name) -%}
    {%- set defaults = {
        'telemetry_full_throttle_pct': 99,
        'telemetry_braking_pressure_bar': 5,
        'telemetry_max_gear': 8,
        'telemetry_max_speed_kmh': 400,
        'telemetry_max_accel_ms2': 100,
        'telemetry_trace_step_m': 5,
        'telemetry_min_plausible_lap_ms': 20000,
        'telemetry_max_plausible_lap_ms': 1800000,
        'telemetry_lookback_hours': 3,
        'telemetry_lookback_days': 2,
        'telemetry_lookback_months': 1,
        'telemetry_trace_step_s': 1,
    } -%}
    {{- return(number_var(name, defaults[name])) -}}
{%- endmacro %}
