with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_race_control_messages') }}
),

renamed as (
    select
        _session_id as session_id,
        cast(time as timestamp) as message_at,
        category,
        message,
        status,
        flag,
        scope,
        cast(cast(sector as double precision) as integer) as sector,
        racingnumber as driver_number,
        cast(cast(lap as double precision) as integer) as lap_number,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
