{#- FastF1's `Laps` columns to the lap staging shape. The laps.csv exports and the API import land the same
    DataFrame columns, so one definition keeps their flags (pit, deleted, green) identical. -#}
{% macro fastf1_laps_staging(relation, source_format) -%}
select
    _session_id as session_id,
    _driver as driver,
    cast(cast(lapnumber as double precision) as integer) as lap_number,
    {{ timedelta_to_seconds('laptime') }} as lap_time,
    {{ timedelta_to_seconds('sector1time') }} as sector_1_time,
    {{ timedelta_to_seconds('sector2time') }} as sector_2_time,
    {{ timedelta_to_seconds('sector3time') }} as sector_3_time,
    pitintime is not null as is_pit_in_lap,
    pitouttime is not null as is_pit_out_lap,
    coalesce({{ text_to_bool('deleted') }}, false) as is_deleted,
    trackstatus as flag,
    case
        when trackstatus is null then null
        else {{ dbt.length(dbt.replace('trackstatus', "'1'", "''")) }} = 0
    end as is_green_flag,
    {#- The lap ended in the pit lane unless the car crossed the line before its pit entry (FastF1 gives the
        last lap of a run the pit entry that followed it, e.g. after the chequered flag of a qualifying part). -#}
    pitintime is not null
    and not coalesce({{ timedelta_to_seconds('time') }} < {{ timedelta_to_seconds('pitintime') }}, false)
        as is_pit_lane_finish,
    cast(null as boolean) as is_provider_best_lap,
    {#- FastF1Generated: FastF1 made the lap up for a car that never crossed the line (a retirement). -#}
    coalesce({{ text_to_bool('fastf1generated') }}, false) as is_generated_lap,
    {{ timedelta_to_seconds('time') }} as lap_end_time,
    '{{ source_format }}' as source_format,
    {{ raw_lineage_columns() | indent(4) }}
from {{ relation }}
{%- endmacro %}
