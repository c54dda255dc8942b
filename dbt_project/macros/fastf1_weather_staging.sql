{#- FastF1's `weather_data` columns to the weather staging shape. The weather.csv exports and the API import
    land the same DataFrame columns, so one definition keeps their units identical. `session_time` is the SQL
    text of the sample's session-time timedelta (the exports need fastf1_csv_timedelta). -#}
{% macro fastf1_weather_staging(relation, session_time) -%}
select
    _session_id as session_id,
    {{ timedelta_to_seconds(session_time) }} as session_time,
    cast(airtemp as double precision) as air_temp_c,
    cast(tracktemp as double precision) as track_temp_c,
    cast(humidity as double precision) as humidity_pct,
    cast(pressure as double precision) as pressure_mbar,
    coalesce({{ text_to_bool('rainfall') }}, false) as is_raining,
    cast(winddirection as double precision) as wind_direction_deg,
    cast(windspeed as double precision) as wind_speed_mps,
    {{ raw_lineage_columns() | indent(4) }}
from {{ relation }}
{%- endmacro %}
