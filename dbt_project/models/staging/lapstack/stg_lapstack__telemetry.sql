{#- Every telemetry sample in canonical columns; raw holds exactly one live batch per (session, driver).
    raw.telemetry keeps per sample only what varies by row or keys it (session, driver, batch, line): the
    batch's file, format and load time are its raw.load_batches row, joined back on here so every sample still
    names its file and line. Left join: a sample is never dropped (the loader writes both in one transaction). -#}
with source as (
    select * from {{ source('lapstack_telemetry', 'telemetry') }}
),

batches as (
    select * from {{ source('lapstack', 'load_batches') }}
),

renamed as (
    select
        source._session_id as session_id,
        source._driver as driver,
        source.sample_time,
        source.sample_seq,
        source.session_time,
        source.lap_number,
        source.source_lap,
        source.speed,
        source.rpm,
        source.gear,
        source.throttle,
        source.brake,
        source.drs,
        source.distance,
        source.brake_pressure_front,
        source.brake_pressure_rear,
        source.accel_x,
        source.accel_y,
        source.steering_angle,
        source.throttle_blade,
        source.latitude,
        source.longitude,
        source.ecu_time,
        batches.format as source_format,
        source._batch_id,
        batches.source_file as _source_file,
        source._source_line,
        batches.loaded_at as _loaded_at
    from source
    left join batches on source._batch_id = batches.batch_id
)

select * from renamed
