{#- Sessions with telemetry, placed in time at their first telemetry sample, for the telemetry time marts
    (track_activity_daily, series_monthly_summary): lap files carry no calendar date, so those marts count a
    session's laps on the day / month its telemetry starts. One definition, so the day and the month of a
    session cannot disagree. -#}
with lap_summaries as (
    select * from {{ ref('lap_telemetry_summary') }}
),

sessions as (
    select * from {{ ref('dim_sessions') }}
),

session_starts as (
    select
        session_id,
        min(first_sample_time) as first_sample_time
    from lap_summaries
    group by session_id
)

select
    st.session_id,
    s.series,
    s.event,
    st.first_sample_time
from session_starts as st
inner join sessions as s on st.session_id = s.session_id
