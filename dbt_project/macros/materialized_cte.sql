{#- `as {{ materialized_cte() }} (`: on Postgres a CTE computed once, before the query joins it. For a small
    filtered import (one session's race picture) Postgres otherwise estimates a row or two, joins it in a nested
    loop and runs the whole view once per lap (fct_laps +1 session: 602 runs, 4 of its 5 seconds). DuckDB and
    Snowflake plan it well as it is. -#}
{% macro materialized_cte() -%}
    {%- if target.type == 'postgres' -%}materialized{%- endif -%}
{%- endmacro %}
