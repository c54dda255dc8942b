{#- pandas timedelta text as FastF1 exports it: `0 days 00:01:33.433000`. -#}
{% macro timedelta_to_seconds(col) -%}
    case
        when nullif(trim({{ col }}), '') is null then null
        else cast({{ dbt.split_part(col, "' days '", 1) }} as double precision) * 86400
            + {{ clock_to_seconds(dbt.split_part(col, "' days '", 2)) }}
    end
{%- endmacro %}
