with source as (
    select * from {{ source('ergast', 'ergast_constructors') }}
),

renamed as (
    select
        _constructor as constructor,
        cast(constructorid as integer) as constructor_id,
        name as constructor_name,
        nationality,
        url,
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select * from renamed
