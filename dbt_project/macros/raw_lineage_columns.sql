{#- The lineage every landed raw row carries (core.registry.LINEAGE_COLUMNS): its load batch, the file and line
    it came from, and when it was loaded. Staging passes them through unchanged, in this order, so every model
    can be traced back to the exact source row the same way. Ends without a comma: the last select item. -#}
{% macro raw_lineage_columns() -%}
_batch_id,
_source_file,
_source_line,
_loaded_at
{%- endmacro %}
