with source as (
    select * from {{ source('fastf1', 'fastf1_track_status') }}
),

renamed as (
    select
        _session_id as session_id,
        {{ timedelta_to_seconds(fastf1_csv_timedelta('time')) }} as start_session_time,
        status as status_code,
        message as status,
        {{ raw_lineage_columns() | indent(8) }}
    from source
),

periods as (
    -- Each change holds until the next one; the last period of a session is open (null end).
    select
        *,
        lead(start_session_time) over (partition by session_id order by start_session_time, _source_line)
            as end_session_time
    from renamed
)

select * from periods
