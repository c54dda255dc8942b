with source as (
    select * from {{ source('gr_cup', 'gr_cup_results') }}
),

renamed as (
    select
        _session_id as session_id,
        _driver as driver,
        trim(number) as car_number,
        _result_status as result_status,
        case _result_status when 'official' then 1 when 'unspecified' then 2 else 3 end as authority_rank,
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
        _batch_id,
        _source_file,
        _source_line,
        _loaded_at
    from source
),

files as (
    select distinct
        session_id,
        authority_rank,
        _loaded_at,
        _source_file
    from renamed
),

ranked_files as (
    -- The session's record: official > unspecified > provisional file, then the latest load, then the path.
    select
        session_id,
        _source_file,
        row_number() over (
            partition by session_id order by authority_rank asc, _loaded_at desc, _source_file desc
        ) as file_rank
    from files
)

select renamed.*
from renamed
inner join ranked_files
    on
        renamed.session_id = ranked_files.session_id
        and renamed._source_file = ranked_files._source_file
where ranked_files.file_rank = 1
