{{ session_mart_config(['session_id', 'driver', 'lap_number']) }}
{#- The race trace: every car's position, gap to the leader and interval to the car ahead at the end of
    each lap it completed, from elapsed times at the line. -#}
with sessions as (
    select * from {{ ref('dim_sessions') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

positions as (
    {{ sessions_import(ref('int_laps__positions'), ref('dim_sessions')) }}
)

select
    {{ session_key_columns('s') }},
    p.driver,
    p.lap_number,
    p.position,
    {{ mart_seconds('p.gap_to_leader') }} as gap_to_leader,
    {{ mart_seconds('p.interval_to_ahead') }} as interval_to_ahead,
    {{ mart_seconds('p.line_time') }} as line_time,
    s.session_version as _session_version
from positions as p
inner join sessions as s on p.session_id = s.session_id
