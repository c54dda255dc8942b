{#- lapstack's numbers against the official record, per session, driver and measure, wherever the record
    publishes the measure. A difference is either explained by a named rule (`reason`) or fails the build
    (test `reconciled`). Rules (README "Reconciliation with the official record"):
      ambiguous_car_number    two entries share a car number (`3` / `3#2`): laps and results cannot be paired
      disqualified            the record erases a disqualified car's laps and fastest lap
      deleted_laps_not_shipped  the lap source (Ergast lap_times) keeps laps race control deleted, so lapstack's
                              best is faster than the official one
      record_self_inconsistent  the record's fastest lap time is not the time of the lap it names (Ergast
                              results against its own lap_times)
      retirement_lap_not_marked the lap source (Ergast) marks no pit-in for a retirement into the pits, so the
                              car's last lap, which the record never takes, looks like a flying lap
      provider_lap_selection  the best-10 list picks other laps than lapstack's 10 best eligible ones (it leaves
                              out laps the lap file does not flag, or lists a pit lap); lapstack's own times of
                              the laps the list names give the official average
      not_classified          the record does not classify the car (distance, retirement, exclusion)
      time_penalty            the record's race time differs from the laps' by a penalty (>= penalty_min_seconds)
      position_penalty        laps and time agree, but the record places the car behind cars it beat on time
      order_after_penalties   the car's own laps and time agree with the record; others' penalties moved it
      lapped_order_without_times  a lapped car: the record publishes no time to check a penalty against, and
                              it places the car among the cars lapstack has on the same lap count -#}
{{ session_mart_config(['session_id', 'driver', 'measure'], [['measure']]) }}

{%- set time_tolerance = 0.0005 %}

with results as (
    select * from {{ ref('session_results') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

sessions as (
    select * from {{ ref('dim_sessions') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

best_laps as (
    select * from {{ ref('stg_gr_cup__best_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

published as (
    -- Drivers in the published classification, with facts the rules look at.
    select
        r.*,
        s.source_format,
        {{ dbt.split_part('r.driver', "'#'", 1) }} as car_number
    from results as r
    inner join sessions as s on r.session_id = s.session_id
    where r.classification_source not in ('derived_from_laps', 'not_in_published_results')
),

shared_numbers as (
    select
        session_id,
        car_number
    from published
    group by session_id, car_number
    having count(*) > 1
),

facts as (
    select
        p.*,
        n.car_number is not null as is_ambiguous,
        coalesce(lower(p.status) like 'disqualified%', false) as is_disqualified,
        max(case when p.position = 1 then p.total_time end) over (partition by p.session_id) as winner_time,
        max(case when p.position = 1 then coalesce(p.lapstack_finish_clock, p.lapstack_elapsed_time) end)
            over (partition by p.session_id) as winner_clock,
        max(case when p.official_fastest_lap_time is not null then 1 else 0 end)
            over (partition by p.session_id) as has_fastest_laps,
        max(case when p.laps_completed is not null then 1 else 0 end) over (partition by p.session_id)
            as has_lap_counts,
        max(case when p.position is not null then 1 else 0 end) over (partition by p.session_id)
            as has_positions
    from published as p
    left join shared_numbers as n on p.session_id = n.session_id and p.car_number = n.car_number
),

time_ranks as (
    -- Where the record's own laps and race times put each classified, timed car.
    select
        session_id,
        driver,
        rank() over (partition by session_id order by laps_completed desc, total_time asc) as time_rank
    from facts
    where position is not null and total_time is not null
),

named_laps as (
    -- lapstack's time of the lap the record names as the car's fastest.
    select
        f.session_id,
        f.driver,
        l.lap_time as named_lap_time
    from facts as f
    inner join laps as l
        on f.session_id = l.session_id and f.driver = l.driver and f.official_fastest_lap_number = l.lap_number
),

lap_groups as (
    -- The positions lapstack gives the cars of each lap count.
    select
        session_id,
        lapstack_laps_completed,
        min(lapstack_position) as first_position,
        max(lapstack_position) as last_position
    from facts
    group by session_id, lapstack_laps_completed
),

timed as (
    select
        f.*,
        r.time_rank,
        n.named_lap_time,
        g.first_position as group_first_position,
        g.last_position as group_last_position,
        -- Penalty seen in the times: the record's gap to the winner minus the gap on the laps' clock.
        (f.total_time - f.winner_time)
        - (coalesce(f.lapstack_finish_clock, f.lapstack_elapsed_time) - f.winner_clock) as penalty_seconds
    from facts as f
    left join time_ranks as r on f.session_id = r.session_id and f.driver = r.driver
    left join named_laps as n on f.session_id = n.session_id and f.driver = n.driver
    left join lap_groups as g on f.session_id = g.session_id and f.lapstack_laps_completed = g.lapstack_laps_completed
),

fastest_lap as (
    select
        session_id,
        driver,
        'fastest_lap' as measure,
        official_fastest_lap_time as official_value,
        lapstack_best_lap_time as lapstack_value,
        case
            when official_fastest_lap_time is null and lapstack_best_lap_time is null then true
            else coalesce(abs(official_fastest_lap_time - lapstack_best_lap_time) <= {{ time_tolerance }}, false)
        end as matches,
        case
            when is_ambiguous then 'ambiguous_car_number'
            when is_disqualified then 'disqualified'
            when abs(named_lap_time - official_fastest_lap_time) > {{ time_tolerance }} then 'record_self_inconsistent'
            when source_format = 'ergast_lap_times' and lapstack_best_lap_time < official_fastest_lap_time
                then 'deleted_laps_not_shipped'
            when
                source_format = 'ergast_lap_times'
                and official_fastest_lap_time is null
                and lapstack_best_lap_number = lapstack_laps_completed
                and not coalesce(status = 'Finished' or status like '+%', false)
                then 'retirement_lap_not_marked'
        end as candidate_reason
    from timed
    where has_fastest_laps = 1
),

laps_completed as (
    select
        session_id,
        driver,
        'laps_completed' as measure,
        cast(laps_completed as double precision) as official_value,
        cast(lapstack_laps_completed as double precision) as lapstack_value,
        coalesce(laps_completed = lapstack_laps_completed, false) as matches,
        case
            when is_ambiguous then 'ambiguous_car_number'
            when is_disqualified then 'disqualified'
        end as candidate_reason
    from timed
    where has_lap_counts = 1 and laps_completed is not null
),

position_base as (
    select
        session_id,
        driver,
        cast(position as double precision) as official_value,
        cast(lapstack_position as double precision) as lapstack_value,
        case
            when position is null and (lapstack_position is null or lapstack_laps_completed = 0) then true
            else coalesce(position = lapstack_position, false)
        end as matches,
        case
            when is_ambiguous then 'ambiguous_car_number'
            when position is null then 'not_classified'
            when laps_completed <> lapstack_laps_completed then null
            when abs(penalty_seconds) >= {{ number_var('penalty_min_seconds') }} then 'time_penalty'
            when position > time_rank then 'position_penalty'
            when total_time is null and position between group_first_position and group_last_position
                then 'lapped_order_without_times'
        end as own_reason,
        -- a record without lap counts (FastF1 results) cannot disagree on them: its time still has to agree
        coalesce(laps_completed = lapstack_laps_completed, laps_completed is null)
        and coalesce(abs(penalty_seconds) < {{ number_var('penalty_min_seconds') }}, true) as own_record_agrees
    from timed
    where has_positions = 1 and session_kind = 'race'
),

position_sessions as (
    select
        *,
        max(case when not matches and own_reason is not null then 1 else 0 end)
            over (partition by session_id) as session_has_penalties
    from position_base
),

positions as (
    select
        session_id,
        driver,
        'position' as measure,
        official_value,
        lapstack_value,
        matches,
        case
            when own_reason is not null then own_reason
            when own_record_agrees and session_has_penalties = 1 then 'order_after_penalties'
        end as candidate_reason
    from position_sessions
),

eligible_ranked as (
    select
        session_id,
        driver,
        lap_number,
        lap_time,
        row_number() over (partition by session_id, driver order by lap_time, lap_number) as lap_rank
    from laps
    where is_fastest_lap_eligible
),

best_10_official as (
    select
        session_id,
        driver,
        max(average_best_10_time) as official_value,
        count(*) as listed_laps
    from best_laps
    group by session_id, driver
),

best_10_listed as (
    -- lapstack's own times of the laps the list names.
    select
        b.session_id,
        b.driver,
        avg(l.lap_time) as listed_average,
        count(l.lap_time) as found_laps
    from best_laps as b
    left join laps as l on b.session_id = l.session_id and b.driver = l.driver and b.lap_number = l.lap_number
    group by b.session_id, b.driver
),

best_10_lapstack as (
    select
        session_id,
        driver,
        avg(lap_time) as lapstack_value
    from eligible_ranked
    where lap_rank <= 10
    group by session_id, driver
),

best_10 as (
    select
        o.session_id,
        o.driver,
        'best_10_average' as measure,
        o.official_value,
        l.lapstack_value,
        coalesce(abs(o.official_value - l.lapstack_value) <= {{ 2 * time_tolerance }}, false) as matches,
        case
            when f.is_ambiguous then 'ambiguous_car_number'
            when
                ls.found_laps = o.listed_laps
                and abs(o.official_value - ls.listed_average) <= {{ 2 * time_tolerance }}
                then 'provider_lap_selection'
        end as candidate_reason
    from best_10_official as o
    inner join facts as f on o.session_id = f.session_id and o.driver = f.driver
    left join best_10_lapstack as l on o.session_id = l.session_id and o.driver = l.driver
    left join best_10_listed as ls on o.session_id = ls.session_id and o.driver = ls.driver
),

measures as (
    select * from fastest_lap
    union all
    select * from laps_completed
    union all
    select * from positions
    union all
    select * from best_10
)

select
    {{ session_key_columns('s') }},
    m.driver,
    m.measure,
    {{ mart_seconds('m.official_value') }} as official_value,
    {{ mart_seconds('m.lapstack_value') }} as lapstack_value,
    m.matches,
    case when not m.matches then m.candidate_reason end as reason,
    s.session_version as _session_version
from measures as m
inner join sessions as s on m.session_id = s.session_id
order by m.session_id, m.driver, m.measure
