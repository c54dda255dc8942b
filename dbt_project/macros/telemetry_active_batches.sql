{#- Batches live in raw: anything else in the model was superseded or deleted. -#}
{% macro telemetry_active_batches() -%}
    select batch_id from {{ source('lapstack', 'load_batches') }} where status = 'active'
{%- endmacro %}
