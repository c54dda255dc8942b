{#-
  The display name of an event, derived from the event key itself (no list of known events): sources
  that name their events (FastF1 EventName, Ergast races.name: `Austrian Grand Prix`) or write them in
  capitals (`COTA`) keep their own spelling, trimmed; a lower-case slug (a GR Cup
  folder such as `barber` or `road-america`) becomes words, each capitalised (`Road America`).
  The `event` key itself never changes: session ids and BI filters are built on it.
-#}
{% macro event_name(column) -%}
    case
        when {{ column }} = lower({{ column }}) and {{ column }} not like '% %'
            then {{ adapter.dispatch('event_name_words')('replace(replace(' ~ column ~ ", '-', ' '), '_', ' ')") }}
        else trim({{ column }})
    end
{%- endmacro %}

{#- Every word capitalised (the rest of the word as it is): initcap where the warehouse has it. -#}
{% macro default__event_name_words(text) -%}
    initcap({{ text }})
{%- endmacro %}

{% macro duckdb__event_name_words(text) -%}
    array_to_string(list_transform(string_split({{ text }}, ' '), lambda w: upper(w[1]) || w[2:]), ' ')
{%- endmacro %}
