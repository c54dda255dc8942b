{#- The sessions of a telemetry time mart placed in time: each live session (`sessions`, dim_sessions) with
    the time of its first telemetry sample (the earliest first_sample_time of `lap_summaries`,
    lap_telemetry_summary). Lap files carry no calendar date, so track_activity_daily and
    series_monthly_summary count a session's laps on that day / in that month; one definition, so the day and
    the month of a session cannot disagree. Both arguments are the model's own import CTEs. -#}
{% macro telemetry_session_starts(lap_summaries, sessions) -%}
    select
        st.session_id,
        s.series,
        s.event,
        st.first_sample_time
    from (
        select
            session_id,
            min(first_sample_time) as first_sample_time
        from {{ lap_summaries }}
        group by session_id
    ) as st
    inner join {{ sessions }} as s on st.session_id = s.session_id
{%- endmacro %}
