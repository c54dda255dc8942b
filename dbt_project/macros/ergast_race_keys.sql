{#- The keys of an Ergast per-race row about one entity (`driver` or `constructor`): lapstack's session and
    entity keys from the loader, then Ergast's own integer race and entity ids, so every Ergast staging model
    joins on the same typed columns. Ends without a comma. -#}
{% macro ergast_race_keys(entity) -%}
_session_id as session_id,
_{{ entity }} as {{ entity }},
cast(raceid as integer) as race_id,
cast({{ entity }}id as integer) as {{ entity }}_id
{%- endmacro %}
