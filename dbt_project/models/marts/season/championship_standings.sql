{{ config(
    indexes=[{'columns': ['series', 'season', 'round_number']}, {'columns': ['driver']}]
    if target.type == 'postgres' else [],
    cluster_by=['series', 'season'] if target.type == 'snowflake' else none,
) }}
{#- The drivers' championship after every round, computed from the official results of the round's sessions
    (Grand Prix and sprint): points summed over the season so far; position by points, ties broken by
    countback of Grand Prix finishes (wins, then second places, ...) as the FIA does. A season whose results
    carry no points (GR Cup) has null points and positions, never invented. Where Ergast's driver_standings
    are loaded the official points and position stand beside ours, with the rule explaining any difference. -#}
{%- set countback_places = 20 %}

with results as (
    select * from {{ ref('int_results__official') }}
),

ergast_standings as (
    select * from {{ ref('stg_ergast__driver_standings') }}
),

ergast_races as (
    select * from {{ ref('stg_ergast__races') }}
),

events as (
    select
        series,
        season,
        event,
        max(official_round_number) as official_round_number,
        min(event_date) as event_date
    from results
    where session_kind = 'race'
    group by series, season, event
),

rounds as (
    select
        series,
        season,
        event,
        event_date,
        coalesce(
            official_round_number,
            dense_rank() over (partition by series, season order by event_date, event)
        ) as round_number,
        row_number() over (partition by series, season order by event_date, event) as rounds_loaded
    from events
),

driver_rounds as (
    select
        ro.series,
        ro.season,
        ro.round_number,
        r.season_driver,
        max(r.driver_code) as driver_code,
        sum(r.points) as round_points,
        count(r.points) as results_with_points,
        min(case when not r.is_sprint then r.position end) as grand_prix_position
    from results as r
    inner join rounds as ro on r.series = ro.series and r.season = ro.season and r.event = ro.event
    where r.session_kind = 'race'
    group by ro.series, ro.season, ro.round_number, r.season_driver
),

first_rounds as (
    select
        series,
        season,
        season_driver,
        min(round_number) as first_round,
        max(driver_code) as driver_code
    from driver_rounds
    group by series, season, season_driver
),

grid as (
    -- A driver stands in the championship from his first round on, scoring or not.
    select
        ro.series,
        ro.season,
        ro.round_number,
        ro.event,
        ro.rounds_loaded,
        f.season_driver,
        f.driver_code
    from rounds as ro
    inner join first_rounds as f
        on ro.series = f.series and ro.season = f.season and ro.round_number >= f.first_round
),

cumulative as (
    select
        g.series,
        g.season,
        g.round_number,
        g.event,
        g.rounds_loaded,
        g.season_driver,
        g.driver_code,
        dr.round_points,
        {%- for place in range(1, countback_places + 1) %}
            sum(case when dr.grand_prix_position = {{ place }} then 1 else 0 end) over (
                partition by g.series, g.season, g.season_driver order by g.round_number
                rows between unbounded preceding and current row
            ) as finishes_{{ place }},
        {%- endfor %}
        sum(dr.round_points) over (
            partition by g.series, g.season, g.season_driver order by g.round_number
            rows between unbounded preceding and current row
        ) as points,
        sum(dr.results_with_points) over (
            partition by g.series, g.season, g.season_driver order by g.round_number
            rows between unbounded preceding and current row
        ) as results_with_points
    from grid as g
    left join driver_rounds as dr
        on
            g.series = dr.series
            and g.season = dr.season
            and g.round_number = dr.round_number
            and g.season_driver = dr.season_driver
),

positioned as (
    select
        *,
        case
            when points is not null then rank() over (
                partition by series, season, round_number
                order by
                    case when points is null then 1 else 0 end,
                    points desc,
                    {%- for place in range(1, countback_places) %}
                        finishes_{{ place }} desc,
                    {%- endfor %}
                    finishes_{{ countback_places }} desc
            )
        end as position,
        rank() over (
            partition by series, season, round_number order by case when points is null then 1 else 0 end, points desc
        ) as points_rank,
        count(*) over (partition by series, season, round_number, points) as tied_drivers
    from cumulative
),

official as (
    select
        ra.season,
        ra.event,
        ra.round_number,
        s.driver,
        s.points,
        s.position
    from ergast_standings as s
    inner join ergast_races as ra on s.race_id = ra.race_id
),

official_rounds as (
    select distinct
        season,
        event
    from official
),

compared as (
    select
        p.*,
        orr.event as official_event,
        o.driver as official_driver,
        o.points as official_points,
        o.position as official_position,
        max(case when o.points < p.points then 1 else 0 end) over (
            partition by p.series, p.season, p.round_number
        ) as round_has_dropped_results,
        rank() over (partition by p.series, p.season, p.round_number order by o.points desc) as official_points_rank
    from positioned as p
    left join official_rounds as orr on p.series = 'f1' and p.season = orr.season and p.event = orr.event
    left join official as o
        on
            orr.season = o.season
            and orr.event = o.event
            and p.season_driver = o.driver
)

select
    series,
    season,
    cast(round_number as integer) as round_number,
    event,
    season_driver as driver,
    driver_code,
    cast(round_points as double precision) as round_points,
    cast(points as double precision) as points,
    cast(finishes_1 as integer) as wins,
    cast(position as integer) as position,
    cast(official_points as double precision) as official_points,
    cast(official_position as integer) as official_position,
    case
        when official_event is not null
            then coalesce(official_points = points and official_position = position, false)
    end as matches,
    case
        when official_event is null or (official_points = points and official_position = position) then null
        when official_driver is null then 'not_in_official_standings'
        when official_position is null then 'no_official_position'
        -- results of an earlier round are not loaded: our season so far is shorter than the record's
        when rounds_loaded < round_number then 'rounds_missing'
        -- the record counts fewer points than the results award: only a season's best results counted
        when official_points < points then 'dropped_results'
        -- same points as others: the record orders the tied drivers by a tie-break the results do not settle
        when
            official_points = points and tied_drivers > 1
            and official_position between points_rank and points_rank + tied_drivers - 1
            then 'tie_order'
        -- the driver's points agree; other drivers' dropped results moved him
        when official_points = points and round_has_dropped_results = 1 then 'order_after_dropped_results'
        -- the record places the driver behind drivers with fewer points: excluded from the championship
        when official_position > official_points_rank + tied_drivers - 1 then 'excluded_from_championship'
        when official_points = points and round_has_exclusion = 1 then 'order_after_exclusion'
    end as reason
from (
    select
        *,
        max(case when official_position > official_points_rank + tied_drivers - 1 then 1 else 0 end) over (
            partition by series, season, round_number
        ) as round_has_exclusion
    from compared
) as c
