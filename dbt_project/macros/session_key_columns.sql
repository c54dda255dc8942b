{#- The session key every mart row carries (README, The mart contract): session_id, series, season, event,
    session_name, in that order; `event_name=true` adds the event's display name after `event` (the marts that
    show it). One list, so a mart cannot drop or reorder one of them; `alias` prefixes each column with a
    relation alias (`s` -> `s.session_id, ...`). -#}
{% macro session_key_columns(alias=none, event_name=false) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    {%- set columns = ['session_id', 'series', 'season', 'event'] + (['event_name'] if event_name else [])
        + ['session_name'] -%}
    {%- for column in columns -%}
        {{ prefix }}{{ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
