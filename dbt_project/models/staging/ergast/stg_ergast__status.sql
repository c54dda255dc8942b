with source as (
    select * from {{ source('ergast', 'ergast_status') }}
),

renamed as (
    select
        cast(statusid as integer) as status_id,
        status,
        status = 'Finished' or status like '+%Lap%' as is_finished,
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select * from renamed
