with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_car_telemetry') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        cast(date as timestamp) as sample_at,
        {{ timedelta_to_seconds('sessiontime') }} as session_time,
        cast(rpm as double precision) as rpm,
        cast(speed as double precision) as speed_kph,
        cast(cast(ngear as double precision) as integer) as gear,
        cast(throttle as double precision) as throttle_pct,
        {{ text_to_bool('brake') }} as is_braking,
        cast(cast(drs as double precision) as integer) as drs,
        source as sample_source,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
