{#- Ergast's driver_standings and constructor_standings dumps have the same columns but for the entity
    (`driver` or `constructor`): one definition of their staging shape. `relation` is the model's import CTE. -#}
{% macro ergast_standings_staging(relation, entity) -%}
select
    {{ ergast_race_keys(entity) | indent(4) }},
    cast(points as double precision) as points,
    cast(position as integer) as position,
    positiontext as position_text,
    cast(wins as integer) as wins,
    {{ raw_lineage_columns() | indent(4) }}
from {{ relation }}
{%- endmacro %}
