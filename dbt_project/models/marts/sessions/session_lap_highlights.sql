{{ session_mart_config(['session_id', 'driver'], [['driver']]) }}

with laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

racing as (
    select
        *,
        {{ highlight_rank(['session_id'], 'lap_time', 'slowest') }} as slowest_rank
    from laps
    where is_racing_lap
),

eligible as (
    -- The session's fastest lap is over official-eligible laps (macros/lap_validity.sql).
    select
        *,
        {{ highlight_rank(['session_id'], 'lap_time') }} as fastest_rank
    from laps
    where is_fastest_lap_eligible
),

fastest as (
    select
        session_id,
        lap_time,
        driver,
        lap_number
    from eligible
    where fastest_rank = 1
),

slowest as (
    select
        session_id,
        lap_time,
        driver,
        lap_number
    from racing
    where slowest_rank = 1
)

select
    {{ session_key_columns('r') }},
    r.driver,
    {{ mart_seconds('r.lap_time') }} as personal_best_time,
    r.lap_number as personal_best_lap_number,
    {{ highlight_lap_columns('f', 'lap_time', 'fastest_total') }},
    {{ highlight_lap_columns('s', 'lap_time', 'slowest_total') }},
    {{ mart_seconds('r.lap_time - f.lap_time') }} as gap_to_fastest,
    r.driver = f.driver as is_session_fastest,
    r._session_version
from eligible as r
inner join fastest as f on r.session_id = f.session_id
inner join slowest as s on r.session_id = s.session_id
where r.is_personal_best
order by r.session_id, r.driver
