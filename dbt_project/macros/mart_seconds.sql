{#-
  A time at the mart boundary: seconds as double precision, rounded to the millisecond, so BI tools show
  0.056, not 0.055999999999997385 (the sources time to the millisecond; differences, sums and averages of
  doubles add binary noise). Postgres has no round(double precision, integer); it rounds the double's
  thousandths the way DuckDB and Snowflake do (rounding cast(x as numeric) instead would round the decimal
  the double prints as, 97.7505, up where the others round the binary value 97.75049999... down).
-#}
{% macro mart_seconds(expression) -%}
    {{ return(adapter.dispatch('mart_seconds')(expression)) }}
{%- endmacro %}

{% macro default__mart_seconds(expression) -%}
    round(cast({{ expression }} as double precision), 3)
{%- endmacro %}

{% macro postgres__mart_seconds(expression) -%}
    round(cast({{ expression }} as double precision) * 1000) / 1000
{%- endmacro %}

{#- The same for a list of plain columns, each keeping its name: `{{ mart_seconds_columns(['lap_time']) }},` -#}
{% macro mart_seconds_columns(columns) -%}
    {%- for column in columns -%}
        {{ mart_seconds(column) }} as {{ column }}{{ ',\n    ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
