{#- Ergast's results and sprint_results dumps have the same columns: one definition of their staging shape,
    so a race and a sprint are typed, classified and de-duplicated identically. `relation` is the model's
    import CTE; the macro continues the model's `with` list. -#}
{% macro ergast_results_staging(relation) -%}
renamed as (
    select
        {{ ergast_race_keys('driver') | indent(8) }},
        cast(resultid as integer) as result_id,
        cast(constructorid as integer) as constructor_id,
        number as car_number,
        cast(position as integer) as position,
        cast(positionorder as integer) as finish_order,
        positiontext as classified_position,
        nullif(cast(grid as integer), 0) as grid_position,
        cast(grid as integer) = 0 as is_pit_lane_start,
        cast(points as double precision) as points,
        cast(laps as integer) as laps_completed,
        cast(milliseconds as double precision) / 1000.0 as total_time,
        time as time_text,
        cast(fastestlap as integer) as fastest_lap_number,
        {{ clock_to_seconds('fastestlaptime') }} as fastest_lap_time,
        cast(rank as integer) as fastest_lap_rank,
        cast(statusid as integer) as status_id,
        {{ raw_lineage_columns() | indent(8) }}
    from {{ relation }}
),

entries as (
    -- Before 1960 a driver could share several cars in one race: keep his best-placed entry, sum his points.
    select
        *,
        count(*) over (partition by session_id, driver) as entries_in_session,
        sum(points) over (partition by session_id, driver) as session_points,
        row_number() over (partition by session_id, driver order by finish_order, result_id) as entry_rank
    from renamed
)

select * from entries
where entry_rank = 1
{%- endmacro %}
