with source as (
    select * from {{ source('ergast', 'ergast_status') }}
),

renamed as (
    select
        cast(statusid as integer) as status_id,
        status,
        status = 'Finished' or status like '+%Lap%' as is_finished,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
