{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['session_id', 'driver'],
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['session_id', 'driver']}] if target.type == 'postgres' else [],
    cluster_by=['session_id', 'driver'] if target.type == 'snowflake' else none,
    post_hook=["{{ telemetry_drop_inactive_batches() }}"],
) }}
{#-
  Each driver's best lap (lap_telemetry_summary.is_best_lap: fastest racing lap) on a fixed grid of 1,001 points
  per lap: lap_permille 0..1000, lap_fraction = lap_permille / 1000 (~6 m at Las Vegas). Precomputed once per
  build, so `lapstack compare` reads two drivers' 1,001 rows each with one query and subtracts; BI tools join
  two drivers on (session_id, lap_permille), one row each.

  Per grid point, linear interpolation in lap fraction between the two on-lap samples around it (the same as
  numpy.interp over the samples):
  - lap_elapsed_s over the samples plus the official anchors, start line (0, 0 s) and, where the lap has an
    official time (telemetry_lap_windows.anchor_lap_time), finish line (1, that time);
  - speed and throttle over the samples that have a value (null where impossible), held flat before the first
    and after the last;
  - is_braking and gear: the value of the last sample at or before the point (the first sample's before it).
  The interpolation is a window pass: samples, anchors and grid points in one stream per lap ordered by lap
  fraction; count(channel) over the stream numbers the runs that start at each sample with a value, forward
  (the sample before) and backward (the sample after). Portable to DuckDB, Postgres and Snowflake (no IGNORE NULLS).
-#}
with summary as (
    select * from {{ ref('lap_telemetry_summary') }}
),

telemetry as (
    select * from {{ ref('fct_telemetry') }}
),

lap_windows as (
    select * from {{ ref('telemetry_lap_windows') }}
),

official_laps as (
    select * from {{ ref('fct_laps') }}
),

best as (
    select
        session_id,
        driver,
        lap_number,
        lap_time,
        is_racing_lap
    from summary
    where
        is_best_lap
        and _batch_id in ({{ telemetry_new_batches(ref('lap_telemetry_summary')) }})
),

samples as (
    select
        t.session_id,
        t.driver,
        t.lap_number,
        t.lap_fraction,
        t.lap_elapsed_s,
        t.lap_length_m,
        t.distance_method,
        t.speed,
        t.throttle,
        cast(t.is_braking as integer) as braking,
        t.gear,
        t._batch_id,
        row_number() over (partition by t.session_id, t.driver order by t.sample_time, t.sample_seq) as seq
    from telemetry as t
    inner join best as b
        on t.session_id = b.session_id and t.driver = b.driver and t.lap_number = b.lap_number
    where t.distance is not null
),

laps as (
    select
        s.session_id,
        s.driver,
        s.lap_number,
        max(s.lap_length_m) as lap_length_m,
        max(s.distance_method) as distance_method,
        max(s._batch_id) as _batch_id
    from samples as s
    group by s.session_id, s.driver, s.lap_number
),

lap_facts as (
    select
        l.session_id,
        l.driver,
        l.lap_number,
        l.lap_length_m,
        l.distance_method,
        l._batch_id,
        b.is_racing_lap,
        w.anchor_lap_time,
        coalesce(w.lap_time, b.lap_time) as lap_time,
        case
            when w.sector_1_time is null and w.sector_2_time is null and w.sector_3_time is null
                then o.sector_1_time
            else w.sector_1_time
        end as sector_1_time,
        case
            when w.sector_1_time is null and w.sector_2_time is null and w.sector_3_time is null
                then o.sector_2_time
            else w.sector_2_time
        end as sector_2_time,
        case
            when w.sector_1_time is null and w.sector_2_time is null and w.sector_3_time is null
                then o.sector_3_time
            else w.sector_3_time
        end as sector_3_time
    from laps as l
    inner join best as b
        on l.session_id = b.session_id and l.driver = b.driver and l.lap_number = b.lap_number
    left join lap_windows as w
        on l.session_id = w.session_id and l.driver = w.driver and l.lap_number = w.lap_number
    left join official_laps as o
        on l.session_id = o.session_id and l.driver = o.driver and l.lap_number = o.lap_number
),

grid as (
    select cast(generated_number - 1 as integer) as lap_permille
    from ({{ dbt.generate_series(1001) }}) as numbers
),

anchors as (
    {#- The two official anchors of every lap's profile: the start line (fraction 0 at 0 s) and the finish
        line (fraction 1 at the anchor lap time, where the lap has one). #}
    select
        0.0 as f,
        0 as seq,
        0 as is_finish
    union all
    select
        1.0 as f,
        1000000000 as seq,
        1 as is_finish
),

stream as (
    select
        session_id,
        driver,
        lap_fraction as f,
        0 as is_grid,
        seq,
        cast(null as integer) as lap_permille,
        lap_elapsed_s as elapsed,
        speed,
        throttle,
        1 as is_sample,
        braking,
        gear
    from samples
    union all
    select
        l.session_id,
        l.driver,
        a.f,
        0 as is_grid,
        a.seq,
        cast(null as integer) as lap_permille,
        case when a.is_finish = 1 then l.anchor_lap_time else 0.0 end as elapsed,
        cast(null as double precision) as speed,
        cast(null as double precision) as throttle,
        cast(null as integer) as is_sample,
        cast(null as integer) as braking,
        cast(null as integer) as gear
    from lap_facts as l
    cross join anchors as a
    where a.is_finish = 0 or l.anchor_lap_time is not null
    union all
    select
        l.session_id,
        l.driver,
        g.lap_permille / 1000.0 as f,
        1 as is_grid,
        g.lap_permille as seq,
        g.lap_permille,
        cast(null as double precision) as elapsed,
        cast(null as double precision) as speed,
        cast(null as double precision) as throttle,
        cast(null as integer) as is_sample,
        cast(null as integer) as braking,
        cast(null as integer) as gear
    from lap_facts as l
    cross join grid as g
),

runs as (
    {%- set frame = 'rows between unbounded preceding and current row' %}
    {%- set forward = 'partition by session_id, driver order by f asc, is_grid asc, seq asc ' ~ frame %}
    {%- set backward = 'partition by session_id, driver order by f desc, is_grid desc, seq desc ' ~ frame %}
    select
        *,
        count(elapsed) over ({{ forward }}) as elapsed_before,
        count(elapsed) over ({{ backward }}) as elapsed_after,
        count(speed) over ({{ forward }}) as speed_before,
        count(speed) over ({{ backward }}) as speed_after,
        count(throttle) over ({{ forward }}) as throttle_before,
        count(throttle) over ({{ backward }}) as throttle_after,
        count(is_sample) over ({{ forward }}) as sample_before,
        count(is_sample) over ({{ backward }}) as sample_after
    from stream
),

neighbours as (
    {#- Each run holds exactly one row with the channel's value (the row that starts it): max() reads it. #}
    {%- set channels = [('elapsed', 'elapsed'), ('speed', 'speed'), ('throttle', 'throttle')] %}
    select
        session_id,
        driver,
        lap_permille,
        f,
        {%- for name, col in channels %}
            max(case when {{ col }} is not null then f end) over (
                partition by session_id, driver, {{ name }}_before
            ) as {{ name }}_f0,
            max({{ col }}) over (partition by session_id, driver, {{ name }}_before) as {{ name }}_v0,
            max(case when {{ col }} is not null then f end) over (
                partition by session_id, driver, {{ name }}_after
            ) as {{ name }}_f1,
            max({{ col }}) over (partition by session_id, driver, {{ name }}_after) as {{ name }}_v1,
        {%- endfor %}
        max(braking) over (partition by session_id, driver, sample_before) as braking_before,
        max(gear) over (partition by session_id, driver, sample_before) as gear_before,
        max(is_sample) over (partition by session_id, driver, sample_before) as has_sample_before,
        max(braking) over (partition by session_id, driver, sample_after) as braking_after,
        max(gear) over (partition by session_id, driver, sample_after) as gear_after,
        is_grid
    from runs
),

interpolated as (
    select
        session_id,
        driver,
        lap_permille,
        f as lap_fraction,
        {%- for name in ['elapsed', 'speed', 'throttle'] %}
            case
                when {{ name }}_f0 is null then {{ name }}_v1
                when {{ name }}_f1 is null or {{ name }}_f1 = {{ name }}_f0 then {{ name }}_v0
                else
                    {{ name }}_v0
                    + ({{ name }}_v1 - {{ name }}_v0) * (f - {{ name }}_f0) / ({{ name }}_f1 - {{ name }}_f0)
            end as {{ name }}_at,
        {%- endfor %}
        case when has_sample_before is null then braking_after else braking_before end as braking_at,
        case when has_sample_before is null then gear_after else gear_before end as gear_at
    from neighbours
    where is_grid = 1
)

select
    l.session_id,
    l.driver,
    l.lap_number,
    {{ mart_seconds('l.lap_time') }} as lap_time,
    {{ mart_seconds('l.anchor_lap_time') }} as anchor_lap_time,
    {{ mart_seconds('l.sector_1_time') }} as sector_1_time,
    {{ mart_seconds('l.sector_2_time') }} as sector_2_time,
    {{ mart_seconds('l.sector_3_time') }} as sector_3_time,
    l.is_racing_lap,
    i.lap_permille,
    i.lap_fraction,
    i.lap_fraction * l.lap_length_m as distance_m,
    l.lap_length_m,
    l.distance_method,
    {{ mart_seconds('i.elapsed_at') }} as lap_elapsed_s,
    {{ mart_seconds('i.elapsed_at') }} as lap_elapsed_time,
    i.speed_at as speed,
    i.throttle_at as throttle,
    cast(i.braking_at as boolean) as is_braking,
    cast(i.gear_at as integer) as gear,
    l._batch_id
from interpolated as i
inner join lap_facts as l
    on i.session_id = l.session_id and i.driver = l.driver
order by l.session_id, l.driver, i.lap_permille
