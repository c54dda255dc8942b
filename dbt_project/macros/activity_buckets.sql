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

{#- The fastest racing lap of each bucket (rank_in_bucket = 1), ties broken by session then driver. `laps` is
    lap rows by default; the ledger's rows pass their per-row fastest time and keep the rows that have one. -#}
{% macro activity_bucket_fastest(laps, keys, lap_time='lap_time', where='is_racing_lap') -%}
    select
        {%- for key in keys %}
            {{ key }},
        {%- endfor %}
        driver as fastest_lap_driver,
        session_id as fastest_lap_session_id,
        row_number() over (
            partition by {{ keys | join(', ') }} order by {{ lap_time }}, session_id, driver
        ) as rank_in_bucket
    from {{ laps }}
    where {{ where }}
{%- endmacro %}

{#- The body of a lap-based time mart, continuing the model's `with` list after its import CTE `laps`
    (int_laps__activity_ledger: one row per session, driver and hour): totals and fastest lap per bucket of
    `keys` (the last key is the time bucket), the season's distinct tracks, and the bucket filter of the
    telemetry time marts (lookback `lookback_var` in `grain`s, range rebuild through telemetry_rebuild_from /
    _to: macros/telemetry_buckets_filter.sql). The filter picks ledger rows before anything is aggregated, and a
    bucket is rebuilt from all its ledger rows, so the rows are those of aggregating its laps (issue 15: the
    marts aggregated every lap of a bucket, and looked for the buckets to rebuild among all laps). The buckets
    that hold laps loaded since the last build come from the ledger's own load times (`changed_buckets`, its
    own import of the ledger, grouped: Postgres hashes a small `in` list instead of running it per row). -#}
{% macro activity_bucket_mart(keys, grain, lookback_var) -%}
{%- set bucket_col = keys[-1] -%}
{#- referenced outside the branch, so dbt records the dependency when it parses (not incremental then) -#}
{%- if model.resource_type != 'unit_test' -%}{#- a unit test mocks only its model's own inputs -#}
    {%- set ledger_relation = ref('int_laps__activity_ledger') -%}
{%- endif -%}
{%- set by_change = is_incremental() and timestamp_var('telemetry_rebuild_from') is none -%}
{%- if by_change %}
changed_buckets as (
    select
        c.{{ bucket_col }},
        max(c._loaded_at) as _loaded_at
    from {{ ledger_relation }} as c
    where
        c._loaded_at >= (
            select coalesce(max(t._max_loaded_at), cast('1900-01-01' as timestamp)) from {{ this }} as t
        )
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
    select
        {%- for key in keys %}
            {{ key }},
        {%- endfor %}
        cast(count(distinct session_id) as bigint) as sessions,
        cast(sum(laps) as bigint) as laps,
        cast(count(distinct driver) as bigint) as drivers,
        cast(sum(personal_best_laps) as bigint) as personal_best_laps,
        min(fastest_lap_time) as fastest_lap_time,
        max(_loaded_at) as loaded_at
    from bucketed
    group by {{ keys | join(', ') }}
),

fastest as (
    {{ activity_bucket_fastest('bucketed', keys, 'fastest_lap_time', 'fastest_lap_time is not null') }}
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
