with source as (
    select * from {{ source('fastf1', 'fastf1_track_status') }}
),

renamed as (
    {#- pandas writes a zero timedelta as `0 days`: give it its clock part -#}
    {%- set whole_days_time = "case when trim(time) like '% days' then trim(time) || ' 00:00:00' else time end" %}
    select
        _session_id as session_id,
        {{ timedelta_to_seconds(whole_days_time) }} as start_session_time,
        status as status_code,
        message as status,
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
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
