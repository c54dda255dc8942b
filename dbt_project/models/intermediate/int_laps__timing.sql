{#- The race-picture columns of every lap row, from the sources that have them, in one shape keyed like
    int_laps__unioned (session_id, _batch_id, _source_line). `line_time` is the moment the lap ended on a
    clock common to the whole session (FastF1 session time, Al Kamel elapsed race time, Ergast cumulative
    lap times), so cars compare at the line. Fields a source lacks stay null. -#}
with fastf1_timing as (
    select * from {{ ref('stg_fastf1__lap_timing') }}
),

fastf1_api_timing as (
    select * from {{ ref('stg_fastf1_api__lap_timing') }}
),

gr_cup_timing as (
    select * from {{ ref('stg_gr_cup__lap_timing') }}
),

gr_cup_event_timing as (
    -- imported twice, not one CTE read twice (which Postgres and DuckDB materialize whole, out of reach of a
    -- mart's session filter)
    select * from {{ ref('stg_gr_cup__lap_timing') }}
),

gr_cup_lap_events as (
    select * from {{ ref('stg_gr_cup__lap_events') }}
),

ergast_timing as (
    select * from {{ ref('stg_ergast__lap_timing') }}
),

ergast_results as (
    select * from {{ ref('stg_ergast__results') }}
),

ergast_constructors as (
    select * from {{ ref('stg_ergast__constructors') }}
),

fastf1_rows as (
    select * from fastf1_timing
    union all
    select * from fastf1_api_timing
),

fastf1_laps as (
    select
        session_id,
        driver,
        lap_number,
        _batch_id,
        _source_line,
        line_session_time as line_time,
        line_session_time as weather_clock,
        lap_start_time,
        pit_in_session_time,
        pit_out_session_time,
        team,
        stint,
        compound,
        tyre_life,
        reported_position,
        -- FastF1 gives a race lap no Position when the car did not complete it (the lap it stopped on); a
        -- session without any Position (practice, qualifying) keeps every lap.
        reported_position is not null
        or max(reported_position) over (partition by session_id) is null as completes_lap,
        case
            when track_status_codes like '%5%' then 'red'
            when track_status_codes like '%4%' then 'sc'
            when track_status_codes like '%6%' or track_status_codes like '%7%' then 'vsc'
            when track_status_codes like '%2%' then 'yellow'
            when track_status_codes like '%1%' then 'green'
        end as track_status
    from fastf1_rows
),

ecu_offsets as (
    -- The ECU lap-end events are UTC; the timing's HOUR is local time of day. Their difference, rounded to
    -- 15 minutes, is the session's UTC offset; the local date is the UTC event's day shifted by it.
    select
        t.session_id,
        e.event_time,
        cast({{ dbt.datediff("cast('1970-01-01 00:00:00' as timestamp)", 'e.event_time', 'second') }} as bigint)  -- noqa: LT05
            as event_epoch,
        t.line_local_time_of_day
    from gr_cup_event_timing as t
    inner join gr_cup_lap_events as e
        on
            t.session_id = e.session_id
            and t.driver = e.driver
            and t.lap_number = e.lap_number
    where
        e.event_kind = 'lap_end'
        and not e.is_lost_counter
        and t.line_local_time_of_day is not null
),

ecu_differences as (
    select
        session_id,
        event_epoch,
        -- UTC minus local time of day, folded into half a day either side
        mod(
            cast(mod(event_epoch, 86400) - line_local_time_of_day + 86400 + 43200 as bigint), 86400
        ) - 43200 as utc_minus_local
    from ecu_offsets
),

gr_cup_clock as (
    select
        session_id,
        round({{ median('utc_minus_local') }} / 900.0) * 900 as utc_offset_seconds,
        min(event_epoch) as first_event_epoch
    from ecu_differences
    group by session_id
),

gr_cup_located as (
    select
        t.*,
        -- UTC epoch seconds of the line crossing: local midnight of the session's day + HOUR + offset
        floor((c.first_event_epoch - c.utc_offset_seconds) / 86400.0) * 86400
        + t.line_local_time_of_day + c.utc_offset_seconds as line_epoch
    from gr_cup_timing as t
    left join gr_cup_clock as c on t.session_id = c.session_id
),

gr_cup_laps as (
    select
        t.session_id,
        t.driver,
        t.lap_number,
        t._batch_id,
        t._source_line,
        t.line_elapsed_time as line_time,
        t.line_epoch as weather_clock,
        cast(null as double precision) as pit_in_session_time,
        cast(null as double precision) as pit_out_session_time,
        {#- guarded: the emulator's dateadd of a null amount returns the epoch itself, not null -#}
        case
            when t.line_epoch is not null and t.lap_time is not null
                then {{ dbt.dateadd(
                    'millisecond',
                    'cast(round((t.line_epoch - t.lap_time) * 1000) as bigint) - cast(floor(t.line_epoch - t.lap_time) as bigint) * 1000',
                    dbt.dateadd('second', 'cast(floor(t.line_epoch - t.lap_time) as bigint)', "cast('1970-01-01 00:00:00' as timestamp)"),
                ) }}
        end as lap_start_time,
        cast(null as {{ dbt.type_string() }}) as team,
        cast(null as integer) as stint,
        cast(null as {{ dbt.type_string() }}) as compound,
        cast(null as integer) as tyre_life,
        cast(null as integer) as reported_position,
        true as completes_lap,
        case
            when t.flag_at_line in ('GF', 'FF') then 'green'
            when t.flag_at_line = 'FCY' then 'sc'
        end as track_status
    from gr_cup_located as t
),

ergast_laps as (
    select
        t.session_id,
        t.driver,
        t.lap_number,
        t._batch_id,
        t._source_line,
        sum(t.lap_time) over (
            partition by t.session_id, t.driver order by t.lap_number rows between unbounded preceding and current row
        ) as line_time,
        cast(null as double precision) as weather_clock,
        cast(null as timestamp) as lap_start_time,
        cast(null as double precision) as pit_in_session_time,
        cast(null as double precision) as pit_out_session_time,
        c.constructor_name as team,
        cast(null as integer) as stint,
        cast(null as {{ dbt.type_string() }}) as compound,
        cast(null as integer) as tyre_life,
        t.reported_position,
        true as completes_lap,
        cast(null as {{ dbt.type_string() }}) as track_status
    from ergast_timing as t
    left join ergast_results as r on t.session_id = r.session_id and t.driver = r.driver
    left join ergast_constructors as c on r.constructor_id = c.constructor_id
),

{%- set timing_columns = [
    'session_id', 'driver', 'lap_number', '_batch_id', '_source_line', 'line_time', 'weather_clock',
    'lap_start_time', 'pit_in_session_time', 'pit_out_session_time', 'team', 'stint', 'compound', 'tyre_life',
    'reported_position', 'completes_lap', 'track_status',
] %}
{%- set parts = [
    ('fastf1_laps', "'session_time'"),
    ('gr_cup_laps', "'utc_epoch'"),
    ('ergast_laps', 'cast(null as ' ~ dbt.type_string() ~ ')'),
] %}

unioned as (
    {%- for cte, clock_kind in parts %}
        select
            {%- for column in timing_columns %}
                {{ column }},
            {%- endfor %}
            {{ clock_kind }} as weather_clock_kind
        from {{ cte }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from unioned
