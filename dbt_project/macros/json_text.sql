{#-
  JSON text built by string concatenation, the way session_chart_json builds its document, so the same
  characters come out of DuckDB, Postgres and Snowflake (their native JSON functions print numbers and
  order keys differently). Numbers are mart times (already rounded to 1 ms) or integers; `null` where SQL
  has NULL. chr(92) is the backslash: Snowflake string literals treat a literal one as an escape.
-#}

{#- One value as JSON: kind is `time` (seconds, 3 decimals), `int`, `bool` or `text`. -#}
{% macro json_value(expression, kind) -%}
    {%- if kind == 'time' -%}
        coalesce(cast(cast(round(cast({{ expression }} as decimal(18, 6)), 3) as decimal(12, 3)) as {{ dbt.type_string() }}), 'null')
    {%- elif kind == 'int' -%}
        coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'null')
    {%- elif kind == 'bool' -%}
        case when {{ expression }} then 'true' when not {{ expression }} then 'false' else 'null' end
    {%- elif kind == 'text' -%}
        coalesce('"' || replace(replace({{ expression }}, chr(92), chr(92) || chr(92)), '"', chr(92) || '"') || '"', 'null')
    {%- else -%}
        {{ exceptions.raise_compiler_error('json_value: unknown kind ' ~ kind) }}
    {%- endif -%}
{%- endmacro %}

{#- A JSON object of columns, `[(name, kind), ...]`, each read from `alias.name`, keys in the given order. -#}
{% macro json_object(columns, alias) -%}
    '{'
    {%- for name, kind in columns %}
    || '{{ '' if loop.first else ', ' }}"{{ name }}": ' || {{ json_value(alias ~ '.' ~ name, kind) }}
    {%- endfor %}
    || '}'
{%- endmacro %}

{#- A JSON array aggregate of such objects, ordered; `[]` (not NULL) where there is nothing to aggregate. -#}
{% macro json_array_agg(columns, alias, order_by) -%}
    '[' || coalesce({{ dbt.listagg(json_object(columns, alias), "', '", 'order by ' ~ order_by) }}, '') || ']'
{%- endmacro %}
