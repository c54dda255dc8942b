{#- The race-picture columns of FastF1's `Laps` (laps.csv exports and the API import land the same
    DataFrame columns): line-crossing session time, UTC lap start, team, tyres, position, track status.
    One row per raw lap row, keyed like int_laps__unioned by (_batch_id, _source_line). -#}
{% macro fastf1_lap_timing_staging(relation) -%}
select
    _session_id as session_id,
    _driver as driver,
    cast(cast(lapnumber as double precision) as integer) as lap_number,
    {{ timedelta_to_seconds('time') }} as line_session_time,
    {{ timedelta_to_seconds('lapstarttime') }} as lap_start_session_time,
    cast(nullif(trim(lapstartdate), '') as timestamp) as lap_start_time,
    nullif(trim(team), '') as team,
    cast(cast(stint as double precision) as integer) as stint,
    upper(nullif(trim(compound), '')) as compound,
    cast(cast(tyrelife as double precision) as integer) as tyre_life,
    cast(cast(position as double precision) as integer) as reported_position,
    nullif(trim(trackstatus), '') as track_status_codes,
    {{ timedelta_to_seconds('pitintime') }} as pit_in_session_time,
    {{ timedelta_to_seconds('pitouttime') }} as pit_out_session_time,
    _batch_id,
    _source_line
from {{ relation }}
{%- endmacro %}
