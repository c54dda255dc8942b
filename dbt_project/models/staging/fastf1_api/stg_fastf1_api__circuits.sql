with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_circuit_rotation') }}
),

renamed as (
    select
        _session_id as session_id,
        cast(cast(circuitkey as double precision) as integer) as circuit_key,
        cast(rotation as double precision) as rotation_deg,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
