{{ session_mart_config(['session_id'], [['series', 'season']]) }}

with laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

fastest as (
    select
        session_id,
        driver,
        lap_time,
        lap_number
    from (
        select
            session_id,
            driver,
            lap_time,
            lap_number,
            {{ highlight_rank(['session_id'], 'lap_time') }} as rn
        from laps
        where is_fastest_lap_eligible
    ) as ranked
    where rn = 1
),

totals as (
    select
        {{ session_key_columns(event_name=true) }},
        _session_version,
        count(*) as total_laps,
        count(case when is_racing_lap then 1 end) as racing_laps,
        count(distinct driver) as total_drivers
    from laps
    group by {{ session_key_columns(event_name=true) }}, _session_version
)

select
    {{ session_key_columns('t', event_name=true) }},
    {{ mart_seconds('f.lap_time') }} as fastest_lap_time,
    f.driver as fastest_lap_driver,
    f.lap_number as fastest_lap_number,
    t.total_laps,
    t.racing_laps,
    t.total_drivers,
    t._session_version
from totals as t
left join fastest as f on t.session_id = f.session_id
order by t.session_id
