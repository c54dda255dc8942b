with source as (
    select * from {{ source('ergast', 'ergast_drivers') }}
),

renamed as (
    select
        _driver as driver,
        cast(driverid as integer) as driver_id,
        number as permanent_number,
        code as driver_code,
        forename,
        surname,
        cast(dob as date) as date_of_birth,
        nationality,
        url,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
