{{ config(
    indexes=[{'columns': ['series', 'season']}, {'columns': ['driver']}] if target.type == 'postgres' else [],
    cluster_by=['series', 'season'] if target.type == 'snowflake' else none,
) }}
{#- One row per series, season and driver, from the official results of the season's races (Grand Prix,
    not sprints, for starts, wins, podiums, average finish and fastest laps; sprints add points). Green-flag
    pace comes from the laps: each race ranks its drivers by median green-flag pace lap (session_driver_stats
    pace_median_lap_time), and the season ranks drivers by their mean race rank. -#}
with results as (
    select * from {{ ref('int_results__official') }}
),

driver_stats as (
    select * from {{ ref('session_driver_stats') }}
),

summaries as (
    select * from {{ ref('session_summary') }}
),

grand_prix as (
    select
        *,
        min(fastest_lap_time) over (partition by session_id) as session_fastest_lap_time
    from results
    where session_kind = 'race' and not is_sprint
),

lap_fastest as (
    -- Sources whose results name no fastest lap (FastF1): the session's fastest official-eligible lap.
    select
        session_id,
        fastest_lap_driver
    from summaries
),

fastest_holders as (
    select
        g.session_id,
        g.season_driver
    from grand_prix as g
    left join lap_fastest as f on g.session_id = f.session_id
    where coalesce(
        g.has_fastest_lap,
        g.fastest_lap_time = g.session_fastest_lap_time,
        f.fastest_lap_driver in (g.driver_code, g.season_driver)
    )
),

season_results as (
    select
        g.series,
        g.season,
        g.season_driver,
        max(g.driver_code) as driver_code,
        count(*) as starts,
        sum(case when g.position = 1 then 1 else 0 end) as wins,
        sum(case when g.position <= 3 then 1 else 0 end) as podiums,
        avg(g.position) as average_finish,
        count(h.session_id) as fastest_laps
    from grand_prix as g
    left join fastest_holders as h on g.session_id = h.session_id and g.season_driver = h.season_driver
    group by g.series, g.season, g.season_driver
),

season_points as (
    select
        series,
        season,
        season_driver,
        sum(points) as points
    from results
    where session_kind = 'race'
    group by series, season, season_driver
),

race_pace as (
    select
        g.series,
        g.season,
        g.season_driver,
        rank() over (partition by g.session_id order by d.pace_median_lap_time) as race_pace_rank
    from grand_prix as g
    inner join driver_stats as d
        on g.session_id = d.session_id and d.driver in (g.driver_code, g.season_driver)
    where d.pace_median_lap_time is not null
),

season_pace as (
    select
        series,
        season,
        season_driver,
        avg(race_pace_rank) as mean_race_pace_rank,
        count(*) as paced_races
    from race_pace
    group by series, season, season_driver
)

select
    r.series,
    r.season,
    r.season_driver as driver,
    r.driver_code,
    cast(r.starts as integer) as starts,
    cast(r.wins as integer) as wins,
    cast(r.podiums as integer) as podiums,
    cast(p.points as double precision) as points,
    {{ mart_seconds("r.average_finish") }} as average_finish,
    cast(r.fastest_laps as integer) as fastest_laps,
    cast(coalesce(sp.paced_races, 0) as integer) as paced_races,
    {{ mart_seconds("sp.mean_race_pace_rank") }} as mean_race_pace_rank,
    cast(case
        when sp.mean_race_pace_rank is not null then rank() over (
            partition by r.series, r.season
            order by case when sp.mean_race_pace_rank is null then 1 else 0 end, sp.mean_race_pace_rank
        )
    end as integer) as green_flag_pace_rank
from season_results as r
left join season_points as p
    on r.series = p.series and r.season = p.season and r.season_driver = p.season_driver
left join season_pace as sp
    on r.series = sp.series and r.season = sp.season and r.season_driver = sp.season_driver
