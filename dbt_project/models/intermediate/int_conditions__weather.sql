{#- Every weather sample in one shape, whichever file or extract it came from: FastF1 API extracts and FastF1
    export files (the same columns, session-time clock) and GR Cup 26_Weather files (UTC clock). A session takes
    its samples from one source only (FastF1 API, else export, else GR Cup), so a session loaded both ways is
    not counted twice. `sample_clock` is seconds on the clock the source's laps use (FastF1 session time, GR Cup
    UTC epoch seconds). -#}
with fastf1_api_weather as (
    select * from {{ ref('stg_fastf1_api__weather') }}
),

fastf1_weather as (
    select * from {{ ref('stg_fastf1__weather') }}
),

gr_cup_weather as (
    select * from {{ ref('stg_gr_cup__weather') }}
),

{%- set fastf1_sources = [('fastf1_api_weather', 1), ('fastf1_weather', 2)] %}

samples as (
    {%- for relation, rank in fastf1_sources %}
        select
            session_id,
            '{{ relation }}' as source_name,
            {{ rank }} as source_rank,
            'session_time' as clock_kind,
            session_time as sample_clock,
            session_time as sample_session_time,
            cast(null as timestamp) as sample_time_utc,
            air_temp_c,
            track_temp_c,
            humidity_pct,
            pressure_mbar,
            is_raining,
            wind_speed_mps as wind_speed,
            wind_direction_deg
        from {{ relation }}
        union all
    {%- endfor %}
    select
        session_id,
        'gr_cup_weather' as source_name,
        3 as source_rank,
        'utc_epoch' as clock_kind,
        {{ dbt.datediff("cast('1970-01-01 00:00:00' as timestamp)", 'sample_time_utc', 'second') }}
            as sample_clock,
        cast(null as double precision) as sample_session_time,
        sample_time_utc,
        air_temp_c,
        -- Al Kamel writes 0 (real: all of Barber) or -999 (Road America Race 2) when the track sensor gave nothing
        case when track_temp_c <> 0 and track_temp_c > -100 then track_temp_c end as track_temp_c,
        humidity_pct,
        pressure_mbar,
        is_raining,
        wind_speed,
        wind_direction_deg
    from gr_cup_weather
),

ranked as (
    select
        *,
        min(source_rank) over (partition by session_id) as session_source_rank
    from samples
)

select
    session_id,
    source_name,
    clock_kind,
    sample_clock,
    sample_session_time,
    sample_time_utc,
    air_temp_c,
    track_temp_c,
    humidity_pct,
    pressure_mbar,
    is_raining,
    wind_speed,
    wind_direction_deg
from ranked
where source_rank = session_source_rank
