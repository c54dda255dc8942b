{{ session_mart_config(['session_id'], [['series', 'season']]) }}
{#- DuckDB keeps only an 8-byte prefix of a string's min / max per row group ('f1-2023-' for every F1
    session), so ordering alone does not narrow a lookup by session_id: an ART index makes it an index scan
    (Postgres gets its index from session_mart_config, Snowflake its cluster key). -#}
{%- if target.type == 'duckdb' %}
    {{ config(post_hook=["create index if not exists session_page__session_id_idx on {{ this }} (session_id)"]) }}
{%- endif %}

{#- Everything a session page shows, as one row per session: serving a page is one indexed lookup.
    The document carries the session's summary, driver stats, sector and lap highlights and the lap-time
    chart, with the same values as the long marts (times to 1 ms) and keys in the marts' column order. -#}
with summary as (
    select * from {{ ref('session_summary') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

driver_stats as (
    select * from {{ ref('session_driver_stats') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

sector_highlights as (
    select * from {{ ref('session_sector_highlights') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

lap_highlights as (
    select * from {{ ref('session_lap_highlights') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

chart as (
    select * from {{ ref('session_chart_json') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

{%- set summary_columns = [
    ('fastest_lap_time', 'time'), ('fastest_lap_driver', 'text'), ('fastest_lap_number', 'int'),
    ('total_laps', 'int'), ('racing_laps', 'int'), ('total_drivers', 'int'),
] %}
{%- set driver_columns = [
    ('driver', 'text'), ('best_lap_time', 'time'), ('best_lap_number', 'int'), ('optimal_lap_time', 'time'),
    ('best_sector_1_time', 'time'), ('best_sector_2_time', 'time'), ('best_sector_3_time', 'time'),
    ('lap_count', 'int'), ('racing_lap_count', 'int'), ('avg_lap_time', 'time'), ('consistency', 'time'),
    ('has_racing_laps', 'bool'), ('laps_completed', 'int'), ('pace_lap_count', 'int'),
    ('pace_best_lap_time', 'time'), ('pace_avg_lap_time', 'time'), ('pace_median_lap_time', 'time'),
    ('pace_consistency', 'time'),
] %}
{%- set sector_columns = [
    ('sector', 'int'), ('driver', 'text'), ('driver_best_time', 'time'), ('driver_best_lap_number', 'int'),
    ('fastest_time', 'time'), ('fastest_driver', 'text'), ('fastest_lap_number', 'int'),
    ('slowest_time', 'time'), ('slowest_driver', 'text'), ('slowest_lap_number', 'int'),
    ('gap_to_fastest', 'time'), ('is_session_fastest', 'bool'),
] %}
{%- set lap_columns = [
    ('driver', 'text'), ('personal_best_time', 'time'), ('personal_best_lap_number', 'int'),
    ('fastest_total_time', 'time'), ('fastest_total_driver', 'text'), ('fastest_total_lap_number', 'int'),
    ('slowest_total_time', 'time'), ('slowest_total_driver', 'text'), ('slowest_total_lap_number', 'int'),
    ('gap_to_fastest', 'time'), ('is_session_fastest', 'bool'),
] %}

drivers_json as (
    select
        d.session_id,
        {{ json_array_agg(driver_columns, 'd', 'd.driver') }} as doc
    from driver_stats as d
    group by d.session_id
),

sectors_json as (
    select
        s.session_id,
        {{ json_array_agg(sector_columns, 's', 's.sector, s.driver') }} as doc
    from sector_highlights as s
    group by s.session_id
),

laps_json as (
    select
        l.session_id,
        {{ json_array_agg(lap_columns, 'l', 'l.driver') }} as doc
    from lap_highlights as l
    group by l.session_id
)

select
    s.session_id,
    s.series,
    s.season,
    s.event,
    s.event_name,
    s.session_name,
    s.total_drivers,
    s.total_laps,
    '{"session_id": ' || {{ json_value('s.session_id', 'text') }}
    || ', "series": ' || {{ json_value('s.series', 'text') }}
    || ', "season": ' || {{ json_value('s.season', 'int') }}
    || ', "event": ' || {{ json_value('s.event', 'text') }}
    || ', "event_name": ' || {{ json_value('s.event_name', 'text') }}
    || ', "session_name": ' || {{ json_value('s.session_name', 'text') }}
    || ', "summary": ' || {{ json_object(summary_columns, 's') }}
    || ', "driver_stats": ' || coalesce(d.doc, '[]')
    || ', "sector_highlights": ' || coalesce(x.doc, '[]')
    || ', "lap_highlights": ' || coalesce(l.doc, '[]')
    || ', "chart": ' || coalesce(c.chart_json, 'null')
    || '}' as page_json,
    s._session_version
from summary as s
left join drivers_json as d on s.session_id = d.session_id
left join sectors_json as x on s.session_id = x.session_id
left join laps_json as l on s.session_id = l.session_id
left join chart as c on s.session_id = c.session_id
-- Written ordered by session: DuckDB zone maps then read only the session's row group.
order by s.session_id
