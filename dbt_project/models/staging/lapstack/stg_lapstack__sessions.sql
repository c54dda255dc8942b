with source as (
    select * from {{ source('lapstack', 'sessions') }}
),

renamed as (
    select
        session_id,
        series,
        season,
        event,
        session_name,
        source_format,
        batch_id,
        source_file,
        version as session_version,
        is_deleted,
        updated_at
    from source
)

select * from renamed
