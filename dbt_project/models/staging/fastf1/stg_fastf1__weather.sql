with source as (
    select * from {{ source('fastf1', 'fastf1_weather') }}
),

renamed as (
    {#- pandas writes a zero timedelta as `0 days`: give it its clock part -#}
    {%- set whole_days_time = "case when trim(time) like '% days' then trim(time) || ' 00:00:00' else time end" %}
    select
        _session_id as session_id,
        {{ timedelta_to_seconds(whole_days_time) }} as session_time,
        cast(airtemp as double precision) as air_temp_c,
        cast(tracktemp as double precision) as track_temp_c,
        cast(humidity as double precision) as humidity_pct,
        cast(pressure as double precision) as pressure_mbar,
        coalesce({{ text_to_bool('rainfall') }}, false) as is_raining,
        cast(winddirection as double precision) as wind_direction_deg,
        cast(windspeed as double precision) as wind_speed_mps,
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select * from renamed
