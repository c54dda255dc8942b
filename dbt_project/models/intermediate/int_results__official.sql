{#- The official result of every driver in every session that has published results, from the session's
    primary source only (GR Cup results file, Ergast results and sprint results, FastF1 API results, FastF1
    results exports: the ranking session_results uses), so a session is never counted twice. Sessions need no
    laps: identity comes from dim_sessions, else Ergast races.csv, else the FastF1 API import log.
    `season_driver` is one key per driver across a season's sources: Ergast's driverRef (FastF1's DriverId is
    the same key), else the source's driver (GR Cup car number). Points stay null where the source has none. -#}
with sessions as (
    select * from {{ ref('dim_sessions') }}
),

laps as (
    select * from {{ ref('fct_laps') }}
),

gr_cup_results as (
    select * from {{ ref('stg_gr_cup__results') }}
),

ergast_results as (
    select * from {{ ref('stg_ergast__results') }}
),

ergast_sprint_results as (
    select * from {{ ref('stg_ergast__sprint_results') }}
),

ergast_races as (
    select * from {{ ref('stg_ergast__races') }}
),

fastf1_results as (
    select * from {{ ref('stg_fastf1__results') }}
),

fastf1_api_results as (
    select * from {{ ref('stg_fastf1_api__results') }}
),

fastf1_api_imports as (
    select * from {{ ref('stg_fastf1_api__import_log') }}
),

{%- set ergast_tables = [('ergast_results', 'Race'), ('ergast_sprint_results', 'Sprint')] %}

ergast_entries as (
    -- results and sprint results share one staging shape (macro ergast_results_staging)
    {%- for relation, session_name in ergast_tables %}
        select
            r.session_id,
            r.race_id,
            r.driver,
            r.position,
            r.finish_order,
            r.grid_position,
            r.session_points as points,
            r.fastest_lap_time,
            r.fastest_lap_rank = 1 as has_fastest_lap,
            '{{ session_name }}' as session_name
        from {{ relation }} as r
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

published as (
    select
        r.session_id,
        1 as source_rank,
        'gr_cup_results' as source_name,
        r.driver as season_driver,
        cast(null as {{ dbt.type_string() }}) as driver_code,
        r.position,
        r.finish_order,
        cast(null as integer) as grid_position,
        cast(null as double precision) as points,
        r.fastest_lap_time,
        cast(null as boolean) as has_fastest_lap
    from gr_cup_results as r
    union all
    select
        r.session_id,
        2 as source_rank,
        'ergast_results' as source_name,
        r.driver as season_driver,
        cast(null as {{ dbt.type_string() }}) as driver_code,
        r.position,
        r.finish_order,
        r.grid_position,
        r.points,
        r.fastest_lap_time,
        r.has_fastest_lap
    from ergast_entries as r
    union all
    select
        r.session_id,
        3 as source_rank,
        'fastf1_api_results' as source_name,
        coalesce(r.driver_id, r.driver) as season_driver,
        r.driver as driver_code,
        case when r.classified_position = cast(r.position as {{ dbt.type_string() }}) then r.position end
            as position,
        r.position as finish_order,
        r.grid_position,
        r.points,
        cast(null as double precision) as fastest_lap_time,
        cast(null as boolean) as has_fastest_lap
    from fastf1_api_results as r
    union all
    select
        r.session_id,
        4 as source_rank,
        'fastf1_results' as source_name,
        coalesce(r.driver_id, r.driver) as season_driver,
        r.driver as driver_code,
        r.position,
        r.finish_order,
        r.grid_position,
        r.points,
        cast(null as double precision) as fastest_lap_time,
        cast(null as boolean) as has_fastest_lap
    from fastf1_results as r
),

primary_sources as (
    select
        session_id,
        min(source_rank) as primary_rank
    from published
    group by session_id
),

driver_codes as (
    -- The three-letter code of a driverRef, from any FastF1 results of the session.
    select
        session_id,
        season_driver,
        max(driver_code) as driver_code
    from published
    where source_rank in (3, 4)
    group by session_id, season_driver
),

lap_days as (
    select
        session_id,
        cast(min(lap_start_time) as date) as first_lap_date
    from laps
    group by session_id
),

identities as (
    -- One identity per session: the lap registry, else Ergast races.csv, else the FastF1 API import log.
    select
        session_id,
        1 as identity_rank,
        series,
        season,
        event,
        session_name,
        cast(null as integer) as round_number,
        cast(null as date) as event_date
    from sessions
    union all
    select distinct
        e.session_id,
        2 as identity_rank,
        'f1' as series,
        ra.season,
        ra.event,
        e.session_name,
        ra.round_number,
        ra.race_date as event_date
    from ergast_entries as e
    inner join ergast_races as ra on e.race_id = ra.race_id
    union all
    select distinct
        session_id,
        3 as identity_rank,
        'f1' as series,
        season,
        event,
        session_name,
        round_number,
        cast(session_date as date) as event_date
    from fastf1_api_imports
),

ranked_identities as (
    select
        session_id,
        identity_rank,
        series,
        season,
        event,
        session_name,
        row_number() over (partition by session_id order by identity_rank) as rank_in_session,
        max(round_number) over (partition by session_id) as round_number,
        max(event_date) over (partition by session_id) as event_date
    from identities
)

select
    {{ session_key_columns('i') }},
    {{ session_kind('i.session_name') }} as session_kind,
    lower(i.session_name) like '%sprint%' and lower(i.session_name) not like '%qualif%'
    and lower(i.session_name) not like '%shootout%' as is_sprint,
    i.round_number as official_round_number,
    coalesce(i.event_date, d.first_lap_date) as event_date,
    p.source_name,
    p.season_driver,
    coalesce(p.driver_code, c.driver_code) as driver_code,
    p.position,
    p.finish_order,
    p.grid_position,
    p.points,
    p.fastest_lap_time,
    p.has_fastest_lap
from published as p
inner join primary_sources as ps on p.session_id = ps.session_id and p.source_rank = ps.primary_rank
inner join ranked_identities as i on p.session_id = i.session_id and i.rank_in_session = 1
left join driver_codes as c on p.session_id = c.session_id and p.season_driver = c.season_driver
left join lap_days as d on p.session_id = d.session_id
