with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_session_status') }}
),

renamed as (
    select
        _session_id as session_id,
        {{ timedelta_to_seconds('time') }} as session_time,
        status,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
