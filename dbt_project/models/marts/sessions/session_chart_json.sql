{{ session_mart_config(['session_id']) }}

{#- One JSON document per session, as chart libraries want: {"laps": [...], "drivers": [{...}]}.
    Portable on every target: decimal(18, 6) not bare `numeric` (scale 0 on Snowflake), chr(92) for the
    backslash (Snowflake string literals treat it as an escape). -#}
with matrix as (
    select * from {{ ref('session_chart_matrix') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

laps_axis as (
    select
        session_id,
        {{ dbt.listagg(dbt.cast('lap_number', dbt.type_string()), "','", 'order by lap_number') }} as laps_csv
    from (select distinct
        session_id,
        lap_number
    from matrix) as n
    group by session_id
),

per_driver as (
    select
        {{ session_key_columns() }},
        _session_version,
        driver,
        '{"driver": "' || replace(driver, '"', chr(92) || '"') || '", "lap_times": ['
        || {{ dbt.listagg(
            "coalesce(cast(cast(round(cast(lap_time as decimal(18, 6)), 3) as decimal(12, 3)) as "
            ~ dbt.type_string() ~ "), 'null')", "', '", 'order by lap_number') }}
        || ']}' as driver_json
    from matrix
    group by {{ session_key_columns() }}, _session_version, driver
)

select
    {{ session_key_columns('d') }},
    count(*) as driver_count,
    '{"session_id": "' || d.session_id || '", "laps": [' || max(a.laps_csv) || '], "drivers": ['
    || {{ dbt.listagg('d.driver_json', "', '", 'order by d.driver') }} || ']}' as chart_json,
    d._session_version
from per_driver as d
inner join laps_axis as a on d.session_id = a.session_id
group by {{ session_key_columns('d') }}, d._session_version
