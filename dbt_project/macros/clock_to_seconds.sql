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
