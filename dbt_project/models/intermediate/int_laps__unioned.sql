{#- Every source format in one shape; exact repeats of a lap row (same driver, lap and time) keep the first. -#}
with gr_cup_laps as (
    select * from {{ ref('stg_gr_cup__laps') }}
),

fastf1_laps as (
    select * from {{ ref('stg_fastf1__laps') }}
),

ergast_laps as (
    select * from {{ ref('stg_ergast__lap_times') }}
),

lapstack_laps as (
    select * from {{ ref('stg_lapstack__laps') }}
),

fastf1_api_laps as (
    select * from {{ ref('stg_fastf1_api__laps') }}
),

unioned as (
    select * from gr_cup_laps
    union all
    select * from fastf1_laps
    union all
    select * from ergast_laps
    union all
    select * from lapstack_laps
    union all
    select * from fastf1_api_laps
),

ranked as (
    select
        *,
        row_number() over (
            partition by session_id, driver, lap_number, lap_time
            order by _source_line
        ) as repeat_rank
    from unioned
)

select
    session_id,
    driver,
    lap_number,
    lap_time,
    sector_1_time,
    sector_2_time,
    sector_3_time,
    is_pit_in_lap,
    is_pit_out_lap,
    is_deleted,
    flag,
    is_green_flag,
    is_pit_lane_finish,
    is_provider_best_lap,
    is_generated_lap,
    lap_end_time,
    source_format,
    _batch_id,
    _source_file,
    _source_line,
    _loaded_at
from ranked
where repeat_rank = 1 or lap_number >= {{ number_var('lost_counter_lap') }}
