{{ session_mart_config(['session_id', 'driver', 'lap_number']) }}

{#- Dense driver x lap grid (every driver of the session x every lap number seen in it). -#}
with laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

drivers as (
    select distinct
        {{ session_key_columns() }},
        _session_version,
        driver
    from laps
),

lap_numbers as (
    select distinct
        session_id,
        lap_number
    from laps
    where lap_number >= 1 and not is_lost_counter
),

racing as (
    select
        session_id,
        driver,
        lap_number,
        lap_time
    from laps
    where is_racing_lap
)

select
    {{ session_key_columns('d') }},
    d.driver,
    n.lap_number,
    {{ mart_seconds('r.lap_time') }} as lap_time,
    d._session_version
from drivers as d
inner join lap_numbers as n on d.session_id = n.session_id
left join racing as r
    on d.session_id = r.session_id and d.driver = r.driver and n.lap_number = r.lap_number
order by d.session_id, d.driver, n.lap_number
