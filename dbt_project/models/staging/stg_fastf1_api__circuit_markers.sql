{#- Corners, marshal lights and marshal sectors share FastF1's circuit-marker columns. -#}
{% set marker_tables = [
    ('corner', 'fastf1_api_circuit_corners'),
    ('marshal_light', 'fastf1_api_circuit_marshal_lights'),
    ('marshal_sector', 'fastf1_api_circuit_marshal_sectors'),
] %}

{% for marker_type, table in marker_tables %}
    select
        _session_id as session_id,
        '{{ marker_type }}' as marker_type,
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
    from {{ source('fastf1_api', table) }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
