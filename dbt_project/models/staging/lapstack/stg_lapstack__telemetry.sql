{#- Every telemetry sample in canonical columns; raw holds exactly one live batch per (session, driver). -#}
with source as (
    select * from {{ source('lapstack_telemetry', 'telemetry') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        sample_time,
        sample_seq,
        session_time,
        lap_number,
        source_lap,
        speed,
        rpm,
        gear,
        throttle,
        brake,
        drs,
        distance,
        brake_pressure_front,
        brake_pressure_rear,
        accel_x,
        accel_y,
        steering_angle,
        throttle_blade,
        latitude,
        longitude,
        ecu_time,
        source_format,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
