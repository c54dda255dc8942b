{#- Timing-system clock text (`1:54.168`, `54.168`, `1:02:03.5`) to seconds; null stays null. -#}
{% macro clock_to_seconds(col) -%}
    case
        when nullif(trim({{ col }}), '') is null then null
        when {{ dbt.length(dbt.replace(col, "':'", "''")) }} = {{ dbt.length(col) }}
            then cast(trim({{ col }}) as double precision)
        when {{ dbt.length(col) }} - {{ dbt.length(dbt.replace(col, "':'", "''")) }} = 1
            then cast({{ dbt.split_part('trim(' ~ col ~ ')', "':'", 1) }} as double precision) * 60
                + cast({{ dbt.split_part('trim(' ~ col ~ ')', "':'", 2) }} as double precision)
        else cast({{ dbt.split_part('trim(' ~ col ~ ')', "':'", 1) }} as double precision) * 3600
            + cast({{ dbt.split_part('trim(' ~ col ~ ')', "':'", 2) }} as double precision) * 60
            + cast({{ dbt.split_part('trim(' ~ col ~ ')', "':'", 3) }} as double precision)
    end
{%- endmacro %}

{#- pandas timedelta text as FastF1 exports it: `0 days 00:01:33.433000`. -#}
{% macro timedelta_to_seconds(col) -%}
    case
        when nullif(trim({{ col }}), '') is null then null
        else cast({{ dbt.split_part(col, "' days '", 1) }} as double precision) * 86400
            + {{ clock_to_seconds(dbt.split_part(col, "' days '", 2)) }}
    end
{%- endmacro %}

{#- Loose text booleans (`True`, `true`, `1`, `yes`) as real booleans; empty is null. -#}
{% macro text_to_bool(col) -%}
    case
        when lower(trim({{ col }})) in ('true', 't', '1', 'yes', '1.0') then true
        when lower(trim({{ col }})) in ('false', 'f', '0', 'no', '0.0') then false
    end
{%- endmacro %}
