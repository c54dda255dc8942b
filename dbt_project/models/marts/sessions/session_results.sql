{#- The classification of every lap session: the published record where one is loaded, else derived from
    the laps (laps completed, then elapsed time), marked in `classification_source`. Sources by authority:
    GR Cup results file, Ergast results (F1's classification of record: FastF1 takes its results from it),
    FastF1 API results, FastF1 results exports; each field comes from the highest-ranked source that has it
    (position and status only from the session's primary source). -#}
{{ session_mart_config(['session_id', 'driver'], [['driver']]) }}

{%- set sources = ['gr_cup_results', 'ergast_results', 'fastf1_api_results', 'fastf1_results'] %}
{%- set merged_fields = [
    'grid_position', 'laps_completed', 'total_time', 'points', 'fastest_lap_time', 'fastest_lap_number',
] %}

with sessions as (
    select * from {{ ref('dim_sessions') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

driver_stats as (
    select * from {{ ref('session_driver_stats') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

gr_cup_results as (
    select * from {{ ref('stg_gr_cup__results') }}
),

fastf1_results as (
    select * from {{ ref('stg_fastf1__results') }}
),

fastf1_api_results as (
    select * from {{ ref('stg_fastf1_api__results') }}
),

ergast_results as (
    select * from {{ ref('stg_ergast__results') }}
),

ergast_status as (
    select * from {{ ref('stg_ergast__status') }}
),

session_kinds as (
    select
        session_id,
        {{ session_kind('session_name') }} as session_kind
    from sessions
),

ergast_drivers as (
    -- Ergast keys drivers by driverId; FastF1 laps by their code: map through the FastF1 driver lists.
    select
        session_id,
        driver_id,
        driver
    from fastf1_results
    union
    select
        session_id,
        driver_id,
        driver
    from fastf1_api_results
),

official as (
    select
        r.session_id,
        r.driver,
        'gr_cup_results' as source_name,
        1 as source_rank,
        r.position,
        r.status,
        cast(null as integer) as grid_position,
        r.laps_completed,
        r.total_time,
        cast(null as double precision) as points,
        r.fastest_lap_time,
        r.fastest_lap_number
    from gr_cup_results as r
    inner join sessions as s on r.session_id = s.session_id

    union all

    select
        r.session_id,
        r.driver,
        'fastf1_results' as source_name,
        4 as source_rank,
        r.position,
        r.status,
        r.grid_position,
        cast(null as integer) as laps_completed,
        r.total_time,
        r.points,
        {{ fastf1_results_fastest_lap('r', 'k.session_kind') }} as fastest_lap_time,
        cast(null as integer) as fastest_lap_number
    from fastf1_results as r
    inner join session_kinds as k on r.session_id = k.session_id

    union all

    select
        r.session_id,
        r.driver,
        'fastf1_api_results' as source_name,
        3 as source_rank,
        case when r.classified_position = cast(r.position as {{ dbt.type_string() }}) then r.position end
            as position,
        r.status,
        r.grid_position,
        r.laps_completed,
        r.race_time as total_time,
        r.points,
        {{ fastf1_results_fastest_lap('r', 'k.session_kind') }} as fastest_lap_time,
        cast(null as integer) as fastest_lap_number
    from fastf1_api_results as r
    inner join session_kinds as k on r.session_id = k.session_id

    union all

    select
        r.session_id,
        coalesce(d.driver, r.driver) as driver,
        'ergast_results' as source_name,
        2 as source_rank,
        r.position,
        st.status,
        r.grid_position,
        r.laps_completed,
        r.total_time,
        r.session_points as points,
        r.fastest_lap_time,
        r.fastest_lap_number
    from ergast_results as r
    inner join sessions as s on r.session_id = s.session_id
    left join ergast_drivers as d on r.session_id = d.session_id and r.driver = d.driver_id
    left join ergast_status as st on r.status_id = st.status_id
),

session_primary as (
    select
        session_id,
        min(source_rank) as primary_rank
    from official
    group by session_id
),

official_merged as (
    -- Position and status from the session's primary source; every other field from the best source having it.
    select
        o.session_id,
        o.driver,
        max(case when o.source_rank = p.primary_rank then o.source_name end) as source_name,
        max(case when o.source_rank = p.primary_rank then o.position end) as position,
        max(case when o.source_rank = p.primary_rank then o.status end) as status,
        {%- for field in merged_fields %}
            coalesce(
                {%- for name in sources %}
                    max(case when o.source_name = '{{ name }}' then o.{{ field }} end){{ ',' if not loop.last }}
                {%- endfor %}
            ) as {{ field }},
        {%- endfor %}
        count(case when o.source_rank = p.primary_rank then 1 end) > 0 as in_primary
    from official as o
    inner join session_primary as p on o.session_id = p.session_id
    group by o.session_id, o.driver
),

lap_totals as (
    -- The source's clock when the car ended its last completed lap (cars are ordered by it), and the
    -- elapsed race time: that clock minus the start of lap 1, else the sum of the laps' times if all are timed.
    select
        l.session_id,
        l.driver,
        max(case when l.lap_number = d.laps_completed then l.lap_end_time end) as finish_clock,
        max(case when l.lap_number = 1 then l.lap_end_time - l.lap_time end) as start_clock,
        case
            when count(case when l.lap_time is null then 1 end) = 0 then sum(l.lap_time)
        end as lap_time_sum
    from laps as l
    inner join driver_stats as d on l.session_id = d.session_id and l.driver = d.driver
    where l.lap_number >= 1 and l.lap_number <= d.laps_completed
    group by l.session_id, l.driver
),

lapstack as (
    select
        d.session_id,
        d.driver,
        d.laps_completed,
        d.best_lap_time,
        d.best_lap_number,
        t.finish_clock,
        coalesce(t.finish_clock - t.start_clock, t.lap_time_sum) as elapsed_time
    from driver_stats as d
    left join lap_totals as t on d.session_id = t.session_id and d.driver = t.driver
),

derived as (
    select
        *,
        case
            when laps_completed > 0
                then row_number() over (
                    partition by session_id
                    order by
                        laps_completed desc,
                        case when coalesce(finish_clock, elapsed_time) is null then 1 else 0 end asc,
                        coalesce(finish_clock, elapsed_time) asc,
                        driver asc
                )
        end as derived_position
    from lapstack
),

drivers as (
    select
        session_id,
        driver
    from derived
    union
    select
        session_id,
        driver
    from official_merged
)

select
    {{ session_key_columns('s', event_name=true) }},
    k.session_kind,
    dr.driver,
    case
        when p.session_id is null then 'derived_from_laps'
        when o.in_primary then o.source_name
        else 'not_in_published_results'
    end as classification_source,
    case when p.session_id is null then l.derived_position else o.position end as position,
    o.status,
    case when p.session_id is null then l.derived_position is not null else o.position is not null end
        as is_classified,
    o.grid_position,
    case when p.session_id is null then coalesce(l.laps_completed, 0) else o.laps_completed end as laps_completed,
    {%- set derived_total = 'p.session_id is null and l.laps_completed > 0' %}
    {{ mart_seconds('case when ' ~ derived_total ~ ' then l.elapsed_time else o.total_time end') }} as total_time,
    o.points,
    {{ mart_seconds('o.fastest_lap_time') }} as official_fastest_lap_time,
    o.fastest_lap_number as official_fastest_lap_number,
    coalesce(l.laps_completed, 0) as lapstack_laps_completed,
    {{ mart_seconds('l.best_lap_time') }} as lapstack_best_lap_time,
    l.best_lap_number as lapstack_best_lap_number,
    {{ mart_seconds('l.elapsed_time') }} as lapstack_elapsed_time,
    l.derived_position as lapstack_position,
    l.finish_clock as lapstack_finish_clock,
    s.session_version as _session_version
from drivers as dr
inner join sessions as s on dr.session_id = s.session_id
inner join session_kinds as k on dr.session_id = k.session_id
left join session_primary as p on dr.session_id = p.session_id
left join official_merged as o on dr.session_id = o.session_id and dr.driver = o.driver
left join derived as l on dr.session_id = l.session_id and dr.driver = l.driver
order by s.session_id, dr.driver
