{{ config(
    indexes=[{'columns': ['session_id', 'driver']}] if target.type == 'postgres' else [],
) }}
{#-
  Minimum speed at each corner of each driver's best lap (lap_telemetry_summary.is_best_lap), where the
  corner's position along the lap is known: stg_fastf1_api__circuit_markers.distance_m (FastF1 circuit info;
  FastF1 measures it along the fastest lap's position data, so it is null without car position data).

  Window: a corner owns the track up to half-way to each neighbouring corner (by distance; the first corner's
  neighbour behind it is the start line, the last corner's ahead of it the finish line, i.e. the lap's own
  length), so windows never overlap, capped at `telemetry_corner_window_max_m` (default 150 m) on each side so
  a corner after a long straight is not judged on the straight's braking zone. The minimum is over the lap's
  on-lap samples with a speed and a distance inside [window_start_m, window_end_m]; min_speed_distance_m is the
  first sample at that speed.
-#}
{%- set window_max_m = number_var('telemetry_corner_window_max_m', 150) %}
with markers as (
    select * from {{ ref('stg_fastf1_api__circuit_markers') }}
),

summary as (
    select * from {{ ref('lap_telemetry_summary') }}
),

telemetry as (
    select * from {{ ref('fct_telemetry') }}
),

corners as (
    select
        session_id,
        marker_number as corner_number,
        coalesce(marker_letter, '') as corner_letter,
        distance_m as corner_distance_m,
        lag(distance_m) over (
            partition by session_id order by distance_m, marker_number, coalesce(marker_letter, '')
        ) as previous_distance_m,
        lead(distance_m) over (
            partition by session_id order by distance_m, marker_number, coalesce(marker_letter, '')
        ) as next_distance_m
    from markers
    where marker_type = 'corner' and distance_m is not null
),

best as (
    select
        s.session_id,
        s.driver,
        s.lap_number,
        s.lap_time
    from summary as s
    where s.is_best_lap and s.session_id in (select c.session_id from corners as c)
),

samples as (
    select
        t.session_id,
        t.driver,
        t.lap_number,
        t.distance,
        t.speed,
        t.lap_length_m
    from telemetry as t
    inner join best as b
        on t.session_id = b.session_id and t.driver = b.driver and t.lap_number = b.lap_number
    where t.distance is not null and t.speed is not null
),

lap_lengths as (
    select
        session_id,
        driver,
        lap_number,
        max(lap_length_m) as lap_length_m
    from samples
    group by session_id, driver, lap_number
),

windows as (
    select
        b.session_id,
        b.driver,
        b.lap_number,
        b.lap_time,
        c.corner_number,
        c.corner_letter,
        c.corner_distance_m,
        c.corner_distance_m - least(
            (c.corner_distance_m - coalesce(c.previous_distance_m, 0)) / 2, {{ window_max_m }}
        ) as window_start_m,
        c.corner_distance_m + least(
            (coalesce(c.next_distance_m, l.lap_length_m) - c.corner_distance_m) / 2, {{ window_max_m }}
        ) as window_end_m
    from best as b
    inner join corners as c on b.session_id = c.session_id
    inner join lap_lengths as l
        on b.session_id = l.session_id and b.driver = l.driver and b.lap_number = l.lap_number
),

in_window as (
    select
        w.session_id,
        w.driver,
        w.lap_number,
        w.lap_time,
        w.corner_number,
        w.corner_letter,
        w.corner_distance_m,
        w.window_start_m,
        w.window_end_m,
        s.distance,
        s.speed,
        count(*) over (
            partition by w.session_id, w.driver, w.corner_number, w.corner_letter
        ) as samples,
        row_number() over (
            partition by w.session_id, w.driver, w.corner_number, w.corner_letter
            order by s.speed asc, s.distance asc
        ) as speed_rank
    from windows as w
    inner join samples as s
        on
            w.session_id = s.session_id
            and w.driver = s.driver
            and w.lap_number = s.lap_number
            and s.distance between w.window_start_m and w.window_end_m
)

select
    session_id,
    driver,
    lap_number,
    {{ mart_seconds('lap_time') }} as lap_time,
    corner_number,
    corner_letter,
    corner_distance_m,
    window_start_m,
    window_end_m,
    samples,
    speed as min_speed,
    distance as min_speed_distance_m
from in_window
where speed_rank = 1
order by session_id, driver, corner_distance_m
