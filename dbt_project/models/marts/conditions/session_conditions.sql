{{ session_mart_config(['session_id']) }}
{#- One row per session with weather samples or track-status periods: the weather summary (one source per
    session: FastF1 API, else FastF1 export, else GR Cup 26_Weather), the track-status periods by kind and the
    race control messages by kind (FastF1 API extract). A measure the session's source lacks is null, never
    zero (GR Cup has no track-status feed; only the FastF1 API extract has race control). Incremental per
    session. -#}
with sessions as (
    select * from {{ ref('dim_sessions') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

weather as (
    select * from {{ ref('int_conditions__weather') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

track_events as (
    select * from {{ ref('session_track_events') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

weather_summary as (
    select
        session_id,
        max(source_name) as weather_source,
        count(*) as weather_samples,
        min(air_temp_c) as air_temp_min_c,
        max(air_temp_c) as air_temp_max_c,
        avg(air_temp_c) as air_temp_mean_c,
        min(track_temp_c) as track_temp_min_c,
        max(track_temp_c) as track_temp_max_c,
        avg(track_temp_c) as track_temp_mean_c,
        avg(humidity_pct) as humidity_mean_pct,
        max(case when is_raining then 1 else 0 end) = 1 as had_rain,
        avg(case when is_raining then 1.0 else 0.0 end) as rain_share,
        avg(wind_speed) as wind_speed_mean,
        max(wind_speed) as wind_speed_max
    from weather
    group by session_id
),

{%- set statuses = ['yellow', 'sc', 'vsc', 'red'] %}
{%- set message_kinds = ['penalty', 'track_limits', 'investigation'] %}

event_summary as (
    select
        session_id,
        count(case when event_kind = 'track_status_period' then 1 end) as status_periods,
        {%- for status in statuses %}
            count(case when event_kind = 'track_status_period' and track_status = '{{ status }}' then 1 end)
                as {{ status }}_periods,
        {%- endfor %}
        {%- for kind in message_kinds %}
            count(case when event_kind = 'race_control_message' and message_kind = '{{ kind }}' then 1 end)
                as {{ kind }}_messages,
        {%- endfor %}
        count(case when event_kind = 'race_control_message' then 1 end) as race_control_messages
    from track_events
    group by session_id
)

select
    {{ session_key_columns('s') }},
    w.weather_source,
    cast(coalesce(w.weather_samples, 0) as bigint) as weather_samples,
    {{ mart_seconds('w.air_temp_min_c') }} as air_temp_min_c,
    {{ mart_seconds('w.air_temp_max_c') }} as air_temp_max_c,
    {{ mart_seconds('w.air_temp_mean_c') }} as air_temp_mean_c,
    {{ mart_seconds('w.track_temp_min_c') }} as track_temp_min_c,
    {{ mart_seconds('w.track_temp_max_c') }} as track_temp_max_c,
    {{ mart_seconds('w.track_temp_mean_c') }} as track_temp_mean_c,
    {{ mart_seconds('w.humidity_mean_pct') }} as humidity_mean_pct,
    w.had_rain,
    {{ mart_seconds('w.rain_share') }} as rain_share,
    {{ mart_seconds('w.wind_speed_mean') }} as wind_speed_mean,
    {{ mart_seconds('w.wind_speed_max') }} as wind_speed_max,
    {#- null, not 0, where the session has no track-status feed / no race control extract -#}
    cast(case when e.status_periods > 0 then e.status_periods end as bigint) as status_periods,
    {%- for status in statuses %}
        cast(case when e.status_periods > 0 then e.{{ status }}_periods end as bigint) as {{ status }}_periods,
    {%- endfor %}
    cast(case when e.race_control_messages > 0 then e.race_control_messages end as bigint) as race_control_messages,
    {%- for kind in message_kinds %}
        cast(case when e.race_control_messages > 0 then e.{{ kind }}_messages end as bigint) as {{ kind }}_messages,
    {%- endfor %}
    s.session_version as _session_version
from sessions as s
left join weather_summary as w on s.session_id = w.session_id
left join event_summary as e on s.session_id = e.session_id
where w.session_id is not null or e.session_id is not null
