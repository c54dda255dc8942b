{#- A derived time (or mean) rounded to the millisecond and kept a double, so every BI driver reads a plain
    float: Postgres has no round(double precision, int), and DuckDB's decimal would surface as Decimal. -#}
{% macro round_ms(expr) -%}
    cast(round(cast({{ expr }} as decimal(18, 6)), 3) as double precision)
{%- endmacro %}
