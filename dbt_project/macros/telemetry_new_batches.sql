{#- Batches present upstream but not yet in this model. -#}
{% macro telemetry_new_batches(upstream) -%}
    select distinct _batch_id from {{ upstream }}
    {% if is_incremental() %}
        where _batch_id not in (select distinct _batch_id from {{ this }})
    {% endif %}
{%- endmacro %}
