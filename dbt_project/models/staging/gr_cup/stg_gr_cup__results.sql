with source as (
    select * from {{ source('gr_cup', 'gr_cup_results') }}
),

renamed as (
    select
        {{ gr_cup_result_keys() | indent(8) }},
        case
            when lower(trim(status)) = 'classified' then cast(cast(position as double precision) as integer)
        end as position,
        cast(cast(position as double precision) as integer) as finish_order,
        trim(status) as status,
        coalesce(lower(trim(status)) = 'classified', false) as is_classified,
        cast(laps as integer) as laps_completed,
        {{ clock_to_seconds('total_time') }} as total_time,
        trim(gap_first) as gap_to_leader_text,
        case
            when trim(gap_first) like '+%' then {{ clock_to_seconds(dbt.replace('gap_first', "'+'", "''")) }}
        end as gap_to_leader,
        case
            when lower(gap_first) like '%lap%'
                then cast({{ dbt.split_part('trim(gap_first)', "' '", 1) }} as integer)
        end as laps_behind_leader,
        trim(gap_previous) as gap_to_previous_text,
        nullif(cast(fl_lapnum as integer), 0) as fastest_lap_number,
        {{ clock_to_seconds('fl_time') }} as fastest_lap_time,
        cast(fl_kph as double precision) as fastest_lap_kph,
        trim(class) as class,
        trim(group_name) as group_name,
        trim(division) as division,
        trim(vehicle) as vehicle,
        {{ raw_lineage_columns() | indent(8) }}
    from source
),

{{ gr_cup_results_staging('renamed') }}
