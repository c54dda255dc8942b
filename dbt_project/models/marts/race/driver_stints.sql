{{ session_mart_config(['session_id', 'driver', 'stint']) }}
{#- One row per stint: a car's run between pit stops. FastF1 gives the stint and compound; elsewhere a stint
    starts after each pit-in lap. Degradation is the Theil-Sen slope (median of the pairwise slopes) of lap
    time over lap number across the stint's green-flag racing laps: robust to the odd slow lap. -#}
with sessions as (
    select * from {{ ref('dim_sessions') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

all_laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

laps as (
    select l.*
    from all_laps as l
    inner join sessions as s on l.session_id = s.session_id
    where l.lap_number >= 1 and not l.is_lost_counter
),

pit_counted as (
    select
        *,
        cast(coalesce(sum(case when is_pit_in_lap then 1 else 0 end) over (
            partition by session_id, driver order by lap_number rows between unbounded preceding and 1 preceding
        ), 0) + 1 as integer) as stint_from_pits
    from laps
),

stinted as (
    select
        *,
        coalesce(stint, stint_from_pits) as stint_number,
        coalesce(track_status = 'green', is_green_flag, false) and is_racing_lap as is_green_racing_lap
    from pit_counted
),

green_laps as (
    select
        session_id,
        driver,
        stint_number,
        lap_number,
        lap_time
    from stinted
    where is_green_racing_lap
),

pair_slopes as (
    select
        a.session_id,
        a.driver,
        a.stint_number,
        (b.lap_time - a.lap_time) / (b.lap_number - a.lap_number) as slope
    from green_laps as a
    inner join green_laps as b
        on
            a.session_id = b.session_id
            and a.driver = b.driver
            and a.stint_number = b.stint_number
            and a.lap_number < b.lap_number
),

degradation as (
    select
        session_id,
        driver,
        stint_number,
        {{ median('slope') }} as degradation_s_per_lap
    from pair_slopes
    group by session_id, driver, stint_number
),

stints as (
    select
        session_id,
        driver,
        stint_number,
        max(compound) as compound,
        min(lap_number) as first_lap,
        max(lap_number) as last_lap,
        cast(count(*) as integer) as laps,
        cast(sum(case when is_green_racing_lap then 1 else 0 end) as integer) as green_flag_laps,
        avg(case when is_green_racing_lap then lap_time end) as green_flag_avg_lap_time,
        min(case when is_green_racing_lap then lap_time end) as green_flag_best_lap_time,
        min(tyre_life) as tyre_life_at_start,
        max(tyre_life) as tyre_life_at_end
    from stinted
    group by session_id, driver, stint_number
)

select
    {{ session_key_columns('s') }},
    st.driver,
    st.stint_number as stint,
    st.compound,
    st.first_lap,
    st.last_lap,
    st.laps,
    st.green_flag_laps,
    {{ mart_seconds('st.green_flag_avg_lap_time') }} as green_flag_avg_lap_time,
    {{ mart_seconds('st.green_flag_best_lap_time') }} as green_flag_best_lap_time,
    case when st.green_flag_laps >= {{ number_var('degradation_min_laps') }} then d.degradation_s_per_lap end
        as degradation_s_per_lap,
    st.tyre_life_at_start,
    st.tyre_life_at_end,
    s.session_version as _session_version
from stints as st
inner join sessions as s on st.session_id = s.session_id
left join degradation as d
    on
        st.session_id = d.session_id
        and st.driver = d.driver
        and st.stint_number = d.stint_number
