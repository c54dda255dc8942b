{#- Post-hook of the telemetry marts: rows of superseded or deleted batches go. -#}
{% macro telemetry_drop_inactive_batches() -%}
    delete from {{ this }} where _batch_id not in ({{ telemetry_active_batches() }})
{%- endmacro %}
