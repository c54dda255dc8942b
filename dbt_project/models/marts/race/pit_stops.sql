{{ session_mart_config(['session_id', 'driver', 'lap_number']) }}
{#- One row per pit stop seen in the laps: a pit-in lap followed by a pit-out lap of the same car (a pit-in
    with no pit-out, such as retiring into the pit lane, is not a stop). Pit-lane time where the source
    times the pit entry and exit (FastF1); time lost = in-lap + out-lap against twice the driver's median
    green-flag racing lap; Ergast's stationary duration where the Ergast stop of that lap is loaded. -#}
with sessions as (
    select * from {{ ref('dim_sessions') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

all_laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

timing as (
    {{ sessions_import(ref('int_laps__timing'), ref('dim_sessions')) }}
),

ergast_pit_stops as (
    select * from {{ ref('stg_ergast__pit_stops') }}
),

fastf1_results as (
    select * from {{ ref('stg_fastf1__results') }}
),

laps as (
    select
        l.session_id,
        l.driver,
        l.lap_number,
        l.lap_time,
        l.is_pit_in_lap,
        l.is_pit_out_lap,
        l.is_racing_lap,
        coalesce(l.track_status = 'green', l.is_green_flag, false) as is_green,
        l.track_status,
        t.pit_in_session_time,
        t.pit_out_session_time
    from all_laps as l
    inner join sessions as s on l.session_id = s.session_id
    left join timing as t
        on
            l.session_id = t.session_id
            and l._batch_id = t._batch_id
            and l._source_line = t._source_line
    where l.lap_number >= 1 and not l.is_lost_counter
),

green_pace as (
    select
        session_id,
        driver,
        {{ median('lap_time') }} as green_flag_pace
    from laps
    where is_racing_lap and is_green
    group by session_id, driver
),

stops as (
    select
        i.session_id,
        i.driver,
        i.lap_number,
        i.lap_time as in_lap_time,
        o.lap_time as out_lap_time,
        i.track_status as in_lap_track_status,
        o.pit_out_session_time - i.pit_in_session_time as pit_lane_time,
        row_number() over (partition by i.session_id, i.driver order by i.lap_number) as stop_number
    from laps as i
    inner join laps as o
        on
            i.session_id = o.session_id
            and i.driver = o.driver
            and o.lap_number = i.lap_number + 1
            and o.is_pit_out_lap
    where i.is_pit_in_lap
),

ergast_driver as (
    -- Ergast keys drivers by driverRef, which FastF1's results give as DriverId; Ergast laps use it already.
    select distinct
        session_id,
        driver,
        driver_id as ergast_driver
    from fastf1_results
)

select
    {{ session_key_columns('s') }},
    st.driver,
    st.lap_number,
    st.stop_number,
    st.in_lap_track_status,
    {{ mart_seconds('st.in_lap_time') }} as in_lap_time,
    {{ mart_seconds('st.out_lap_time') }} as out_lap_time,
    {{ mart_seconds('st.pit_lane_time') }} as pit_lane_time,
    {{ mart_seconds('g.green_flag_pace') }} as green_flag_pace,
    {{ mart_seconds('st.in_lap_time + st.out_lap_time - 2 * g.green_flag_pace') }} as time_lost,
    {{ mart_seconds('e.duration') }} as ergast_duration,
    e.stop_number as ergast_stop_number,
    s.session_version as _session_version
from stops as st
inner join sessions as s on st.session_id = s.session_id
left join green_pace as g on st.session_id = g.session_id and st.driver = g.driver
left join ergast_driver as m on st.session_id = m.session_id and st.driver = m.driver
left join ergast_pit_stops as e
    on
        st.session_id = e.session_id
        and coalesce(m.ergast_driver, st.driver) = e.driver
        and st.lap_number = e.lap_number
