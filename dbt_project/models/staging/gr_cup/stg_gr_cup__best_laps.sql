with source as (
    select * from {{ source('gr_cup', 'gr_cup_best_laps') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        trim(number) as car_number,
        trim(class) as class,
        cast(total_driver_laps as integer) as total_driver_laps,
        {{ clock_to_seconds('average') }} as average_best_10_time,
        {%- for n in range(1, 11) %}
            {{ clock_to_seconds('bestlap_' ~ n) }} as best_lap_{{ n }}_time,
            cast(bestlap_{{ n }}_lapnum as integer) as best_lap_{{ n }}_number,
        {%- endfor %}
        {{ raw_lineage_columns() | indent(8) }}
    from source
),

unpivoted as (
    {%- for n in range(1, 11) %}
        select
            session_id,
            driver,
            car_number,
            class,
            total_driver_laps,
            average_best_10_time,
            {{ n }} as best_lap_rank,
            best_lap_{{ n }}_time as lap_time,
            best_lap_{{ n }}_number as lap_number,
            {{ raw_lineage_columns() | indent(12) }}
        from renamed
        where best_lap_{{ n }}_time is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from unpivoted
