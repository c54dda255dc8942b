with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_circuit_rotation') }}
),

renamed as (
    select
        _session_id as session_id,
        cast(cast(circuitkey as double precision) as integer) as circuit_key,
        cast(rotation as double precision) as rotation_deg,
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select * from renamed
