{#-
  Lap totals per time bucket, one definition for the telemetry time marts (track_activity_daily,
  series_monthly_summary: laps bucketed on their session's telemetry day) and the lap-based ones
  (track_laps_daily, track_laps_hourly, series_laps_monthly: laps bucketed on their own time). `laps` is a CTE of
  the model with the `keys` columns and session_id, driver, lap_time, is_racing_lap, is_personal_best,
  _loaded_at. Counts are cast to bigint (DuckDB's sum of integers is HUGEINT, which BI drivers cannot read);
  `drivers` counts distinct fct_laps drivers with a lap in the bucket (the source's driver id).
-#}
{% macro activity_bucket_totals(laps, keys) -%}
    select
        {%- for key in keys %}
            {{ key }},
        {%- endfor %}
        cast(count(distinct session_id) as bigint) as sessions,
        cast(count(*) as bigint) as laps,
        cast(count(distinct driver) as bigint) as drivers,
        cast(sum(case when is_personal_best then 1 else 0 end) as bigint) as personal_best_laps,
        min(case when is_racing_lap then lap_time end) as fastest_lap_time,
        max(_loaded_at) as loaded_at
    from {{ laps }}
    group by {{ keys | join(', ') }}
{%- endmacro %}

{#- The laps of a telemetry time mart placed in their session's bucket: `sessions` carries session_id and the
    bucket `keys` (the telemetry marts bucket a session's laps on its first telemetry sample). -#}
{% macro activity_session_laps(laps, sessions, keys) -%}
    select
        {%- for key in keys %}
            se.{{ key }},
        {%- endfor %}
        l.session_id,
        l.driver,
        l.lap_time,
        l.is_racing_lap,
        l.is_personal_best,
        l._loaded_at
    from {{ laps }} as l
    inner join {{ sessions }} as se on l.session_id = se.session_id
{%- endmacro %}

{#- The fastest racing lap of each bucket (rank_in_bucket = 1), ties broken by session then driver. -#}
{% macro activity_bucket_fastest(laps, keys) -%}
    select
        {%- for key in keys %}
            {{ key }},
        {%- endfor %}
        driver as fastest_lap_driver,
        session_id as fastest_lap_session_id,
        row_number() over (
            partition by {{ keys | join(', ') }} order by lap_time, session_id, driver
        ) as rank_in_bucket
    from {{ laps }}
    where is_racing_lap
{%- endmacro %}

{#- The body of a lap-based time mart, continuing the model's `with` list after its import CTE `laps`
    (int_laps__activity): totals and fastest lap per bucket of `keys` (the last key is the time bucket), the
    season's distinct tracks, and the bucket filter of the telemetry time marts (lookback `lookback_var` in
    `grain`s, range rebuild through telemetry_rebuild_from / _to: macros/telemetry_buckets_filter.sql).
    The filter picks lap rows before anything is aggregated (issue 15: it used to pick buckets of the finished
    aggregate, so every incremental run aggregated every lap of the warehouse). A bucket is rebuilt from all its
    laps, so the rows are the same. The laps that open a bucket (loaded since the last build) are looked up
    among the sessions with a lap or a session change since then (`changed_buckets`, its own import of the view:
    a CTE read twice is materialized whole). -#}
{% macro activity_bucket_mart(keys, grain, lookback_var) -%}
{%- set bucket_col = keys[-1] -%}
{#- referenced outside the branch, so dbt records the dependencies when it parses (not incremental then) -#}
{%- if model.resource_type != 'unit_test' -%}{#- a unit test mocks only its model's own inputs -#}
    {%- set sessions_relation = ref('dim_sessions') -%}
    {%- set laps_relation = ref('fct_laps') -%}
    {%- set activity_relation = ref('int_laps__activity') -%}
{%- endif -%}
{%- set by_change = is_incremental() and timestamp_var('telemetry_rebuild_from') is none -%}
{%- if by_change %}
last_build as (
    select coalesce(max(t._max_loaded_at), cast('1900-01-01' as timestamp)) as loaded_at
    from {{ this }} as t
),

changed_sessions as (
    select s.session_id
    from {{ sessions_relation }} as s
    where s.loaded_at >= (select b.loaded_at from last_build as b)
    union
    select distinct l.session_id
    from {{ laps_relation }} as l
    where l._loaded_at >= (select b.loaded_at from last_build as b)
),

changed_buckets as (
    -- one row per bucket (grouped, so Postgres hashes the bucket filter's subquery instead of running it per lap)
    select
        c.{{ bucket_col }},
        max(c._loaded_at) as _loaded_at
    from {{ activity_relation }} as c
    where
        c.session_id in (select cs.session_id from changed_sessions as cs)
        and c.{{ bucket_col }} is not null
    group by c.{{ bucket_col }}
),
{%- endif %}

bucketed as (
    select * from laps
    where
        {{ bucket_col }} is not null
        and {{ telemetry_buckets_filter(bucket_col, '_loaded_at', 'changed_buckets', grain, lookback_var) }}
),

totals as (
    {{ activity_bucket_totals('bucketed', keys) }}
),

fastest as (
    {{ activity_bucket_fastest('bucketed', keys) }}
),

{%- set per_track = 'track' in keys %}
{%- if not per_track %}

tracks as (
    select
        {%- for key in keys %}
            {{ key }},
        {%- endfor %}
        cast(count(distinct track) as bigint) as tracks
    from bucketed
    group by {{ keys | join(', ') }}
),
{%- endif %}

activity as (
    select
        {%- for key in keys %}
            t.{{ key }},
        {%- endfor %}
        {%- if not per_track %}
            tr.tracks,
        {%- endif %}
        t.sessions,
        t.laps,
        t.drivers,
        t.personal_best_laps,
        {{ mart_seconds('t.fastest_lap_time') }} as best_lap_time,
        f.fastest_lap_driver as best_lap_driver,
        f.fastest_lap_session_id as best_lap_session_id,
        t.loaded_at as _max_loaded_at
    from totals as t
    {%- if not per_track %}
        inner join tracks as tr
            on {% for key in keys %}t.{{ key }} = tr.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
    {%- endif %}
    left join fastest as f
        on
            {% for key in keys %}t.{{ key }} = f.{{ key }} and {% endfor %}f.rank_in_bucket = 1
)

select * from activity
{%- endmacro %}
