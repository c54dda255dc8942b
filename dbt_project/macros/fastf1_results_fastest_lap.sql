{#- The fastest lap time of a FastF1 results row (the laps.csv exports' results.csv and the API import land
    the same columns): in a qualifying session the best of its Q1, Q2 and Q3 times; FastF1 results record no
    fastest lap for any other session, so null. `results` is the row's alias, `session_kind` the session's
    kind (macros/lap_validity.sql session_kind). -#}
{% macro fastf1_results_fastest_lap(results, session_kind) -%}
    case
        when {{ session_kind }} = 'qualifying'
            then {{ least_of([results ~ '.q1_time', results ~ '.q2_time', results ~ '.q3_time']) }}
    end
{%- endmacro %}
