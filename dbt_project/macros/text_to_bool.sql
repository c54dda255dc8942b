{#- Loose text booleans (`True`, `true`, `1`, `yes`) as real booleans; empty is null. -#}
{% macro text_to_bool(col) -%}
    case
        when lower(trim({{ col }})) in ('true', 't', '1', 'yes', '1.0') then true
        when lower(trim({{ col }})) in ('false', 'f', '0', 'no', '0.0') then false
    end
{%- endmacro %}
