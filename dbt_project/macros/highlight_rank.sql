{#- A lap's (or sector's) rank for a session mart's highlight: 1 is the fastest (`which='fastest'`) or the
    slowest (`which='slowest'`) time of its partition. A tie goes to the earlier lap, then to the driver, so
    session_summary, session_lap_highlights and session_sector_highlights name the same lap for equal times.
    `partition_by` is a list of columns; the relation carries `time_column`, lap_number and driver. -#}
{% macro highlight_rank(partition_by, time_column, which='fastest') -%}
    {%- if which not in ('fastest', 'slowest') -%}
        {{ exceptions.raise_compiler_error("highlight_rank: which is 'fastest' or 'slowest', not " ~ which) }}
    {%- endif -%}
    row_number() over (
        partition by {{ partition_by | join(', ') }}
        order by {{ time_column }}{{ ' desc' if which == 'slowest' }}, lap_number, driver
    )
{%- endmacro %}
