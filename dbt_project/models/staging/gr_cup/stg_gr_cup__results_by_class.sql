with source as (
    select * from {{ source('gr_cup', 'gr_cup_results_by_class') }}
),

renamed as (
    select
        {{ gr_cup_result_keys() | indent(8) }},
        trim(class_type) as class,
        cast(pos as integer) as position,
        cast(pic as integer) as position_in_class,
        cast(laps as integer) as laps_completed,
        {{ clock_to_seconds('elapsed') }} as total_time,
        trim(gap_first) as gap_to_leader_text,
        trim(gap_previous) as gap_to_previous_text,
        nullif(cast(best_lap_num as integer), 0) as fastest_lap_number,
        {{ clock_to_seconds('best_lap_time') }} as fastest_lap_time,
        cast(best_lap_kph as double precision) as fastest_lap_kph,
        trim(vehicle) as vehicle,
        {{ raw_lineage_columns() | indent(8) }}
    from source
),

{{ gr_cup_results_staging('renamed') }}
