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
        {{ clock_to_seconds('bestlap_1') }} as best_lap_1_time,
        cast(bestlap_1_lapnum as integer) as best_lap_1_number,
        {{ clock_to_seconds('bestlap_2') }} as best_lap_2_time,
        cast(bestlap_2_lapnum as integer) as best_lap_2_number,
        {{ clock_to_seconds('bestlap_3') }} as best_lap_3_time,
        cast(bestlap_3_lapnum as integer) as best_lap_3_number,
        {{ clock_to_seconds('bestlap_4') }} as best_lap_4_time,
        cast(bestlap_4_lapnum as integer) as best_lap_4_number,
        {{ clock_to_seconds('bestlap_5') }} as best_lap_5_time,
        cast(bestlap_5_lapnum as integer) as best_lap_5_number,
        {{ clock_to_seconds('bestlap_6') }} as best_lap_6_time,
        cast(bestlap_6_lapnum as integer) as best_lap_6_number,
        {{ clock_to_seconds('bestlap_7') }} as best_lap_7_time,
        cast(bestlap_7_lapnum as integer) as best_lap_7_number,
        {{ clock_to_seconds('bestlap_8') }} as best_lap_8_time,
        cast(bestlap_8_lapnum as integer) as best_lap_8_number,
        {{ clock_to_seconds('bestlap_9') }} as best_lap_9_time,
        cast(bestlap_9_lapnum as integer) as best_lap_9_number,
        {{ clock_to_seconds('bestlap_10') }} as best_lap_10_time,
        cast(bestlap_10_lapnum as integer) as best_lap_10_number,
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
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
            _batch_id,
            _source_file,
            _source_line,
            _loaded_at
        from renamed
        where best_lap_{{ n }}_time is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from unpivoted
