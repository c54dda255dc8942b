select
    _session_id as session_id,
    'corner' as marker_type,
    cast(cast(number as double precision) as integer) as marker_number,
    letter as marker_letter,
    cast(x as double precision) as x,
    cast(y as double precision) as y,
    cast(angle as double precision) as angle_deg,
    cast(distance as double precision) as distance_m,
    _batch_id,
    _source_file,
    _source_line,
    _loaded_at
from {{ source('fastf1_api', 'fastf1_api_circuit_corners') }}

union all

select
    _session_id as session_id,
    'marshal_light' as marker_type,
    cast(cast(number as double precision) as integer) as marker_number,
    letter as marker_letter,
    cast(x as double precision) as x,
    cast(y as double precision) as y,
    cast(angle as double precision) as angle_deg,
    cast(distance as double precision) as distance_m,
    _batch_id,
    _source_file,
    _source_line,
    _loaded_at
from {{ source('fastf1_api', 'fastf1_api_circuit_marshal_lights') }}

union all

select
    _session_id as session_id,
    'marshal_sector' as marker_type,
    cast(cast(number as double precision) as integer) as marker_number,
    letter as marker_letter,
    cast(x as double precision) as x,
    cast(y as double precision) as y,
    cast(angle as double precision) as angle_deg,
    cast(distance as double precision) as distance_m,
    _batch_id,
    _source_file,
    _source_line,
    _loaded_at
from {{ source('fastf1_api', 'fastf1_api_circuit_marshal_sectors') }}
