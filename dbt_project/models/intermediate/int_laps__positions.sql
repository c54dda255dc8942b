{#- Running order at the line: for each lap number, the cars that completed it ranked by the moment they
    crossed the line (a car that completed fewer laps is behind every car on a later lap, as in the
    official lap chart). One row per session, driver and lap (lap 1 up, lost counters excluded; a lap
    number timed twice keeps its first row). -#}
with timing as (
    select * from {{ ref('int_laps__timing') }}
),

numbered as (
    select
        session_id,
        driver,
        lap_number,
        _batch_id,
        _source_line,
        line_time,
        row_number() over (
            partition by session_id, driver, lap_number order by _batch_id, _source_line
        ) as repeat_rank
    from timing
    where
        line_time is not null
        and completes_lap
        and lap_number >= 1
        and lap_number < {{ number_var('lost_counter_lap') }}
),

at_the_line as (
    select
        session_id,
        driver,
        lap_number,
        _batch_id,
        _source_line,
        line_time,
        row_number() over (
            partition by session_id, lap_number order by line_time, driver
        ) as position,
        line_time - min(line_time) over (partition by session_id, lap_number) as gap_to_leader,
        line_time - lag(line_time) over (
            partition by session_id, lap_number order by line_time, driver
        ) as interval_to_ahead
    from numbered
    where repeat_rank = 1
)

select * from at_the_line
