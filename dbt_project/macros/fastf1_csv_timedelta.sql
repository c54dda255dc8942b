{#- A timedelta column of a FastF1 pandas `to_csv` export as text timedelta_to_seconds reads: pandas writes a
    zero timedelta as `0 days`, without its clock part, so give it one. The API import lands proper text. -#}
{% macro fastf1_csv_timedelta(col) -%}
case when trim({{ col }}) like '% days' then trim({{ col }}) || ' 00:00:00' else {{ col }} end
{%- endmacro %}
