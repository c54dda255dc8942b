{{ session_mart_config(['session_id', 'sector'], [['driver']]) }}

with laps as (
    select * from {{ ref('fct_laps') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

sector_times as (
    {% for n in [1, 2, 3] %}
        select
            {{ session_key_columns() }},
            _session_version,
            driver,
            lap_number,
            {{ n }} as sector,
            sector_{{ n }}_time as sector_time
        from laps
        where is_racing_lap and sector_{{ n }}_time > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

ranked as (
    select
        *,
        {{ highlight_rank(['session_id', 'sector'], 'sector_time') }} as fastest_rank,
        {{ highlight_rank(['session_id', 'sector'], 'sector_time', 'slowest') }} as slowest_rank,
        row_number() over (
            partition by session_id, sector, driver order by sector_time, lap_number
        ) as driver_rank
    from sector_times
),

fastest as (
    select
        session_id,
        sector,
        sector_time,
        driver,
        lap_number
    from ranked
    where fastest_rank = 1
),

slowest as (
    select
        session_id,
        sector,
        sector_time,
        driver,
        lap_number
    from ranked
    where slowest_rank = 1
)

select
    {{ session_key_columns('r') }},
    r.sector,
    r.driver,
    {{ mart_seconds('r.sector_time') }} as driver_best_time,
    r.lap_number as driver_best_lap_number,
    {{ highlight_lap_columns('f', 'sector_time', 'fastest') }},
    {{ highlight_lap_columns('s', 'sector_time', 'slowest') }},
    {{ mart_seconds('r.sector_time - f.sector_time') }} as gap_to_fastest,
    r.driver = f.driver as is_session_fastest,
    r._session_version
from ranked as r
inner join fastest as f on r.session_id = f.session_id and r.sector = f.sector
inner join slowest as s on r.session_id = s.session_id and r.sector = s.sector
where r.driver_rank = 1
order by r.session_id, r.sector, r.driver
