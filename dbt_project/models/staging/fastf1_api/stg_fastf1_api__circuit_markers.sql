{#- Corners, marshal lights and marshal sectors share FastF1's circuit-marker columns. -#}
with corners as (
    select * from {{ source('fastf1_api', 'fastf1_api_circuit_corners') }}
),

marshal_lights as (
    select * from {{ source('fastf1_api', 'fastf1_api_circuit_marshal_lights') }}
),

marshal_sectors as (
    select * from {{ source('fastf1_api', 'fastf1_api_circuit_marshal_sectors') }}
),

unioned as (
    {% for marker_type, markers in [
        ('corner', 'corners'),
        ('marshal_light', 'marshal_lights'),
        ('marshal_sector', 'marshal_sectors'),
    ] %}
        select
            _session_id as session_id,
            '{{ marker_type }}' as marker_type,
            cast(cast(number as double precision) as integer) as marker_number,
            letter as marker_letter,
            cast(x as double precision) as x,
            cast(y as double precision) as y,
            cast(angle as double precision) as angle_deg,
            cast(distance as double precision) as distance_m,
            {{ raw_lineage_columns() | indent(12) }}
        from {{ markers }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
