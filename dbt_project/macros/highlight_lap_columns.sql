{#- A highlighted lap of a session mart (the session's fastest or slowest lap or sector) is reported the same
    way everywhere: its time (rounded at the mart boundary, macros/mart_seconds.sql), who drove it and on which
    lap, as `<name>_time`, `<name>_driver`, `<name>_lap_number`. `alias` is the relation holding the lap,
    `time_column` its time. -#}
{% macro highlight_lap_columns(alias, time_column, name) -%}
    {{ mart_seconds(alias ~ '.' ~ time_column) }} as {{ name }}_time,
    {{ alias }}.driver as {{ name }}_driver,
    {{ alias }}.lap_number as {{ name }}_lap_number
{%- endmacro %}
