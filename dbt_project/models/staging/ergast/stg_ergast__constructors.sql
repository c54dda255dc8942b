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
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
