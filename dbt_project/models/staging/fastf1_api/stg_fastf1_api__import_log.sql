with source as (
    select * from {{ source('fastf1_api', 'fastf1_api_import_log') }}
),

renamed as (
    select
        run_id,
        session_id,
        season,
        round_number,
        event,
        session_name,
        session_date,
        status,
        api_calls,
        types_ok,
        types_missing,
        types_failed,
        laps_note,
        error,
        started_at,
        finished_at
    from source
)

select * from renamed
