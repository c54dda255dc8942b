{#-
  The session-keyed incremental contract shared by fct_laps and every mart:
  * a row carries `_session_version`, the raw.sessions version it was built from;
  * an incremental run selects only sessions whose current version the model has not seen: no row of it at
    that version, and no record in int_session_builds that the model built it and found no rows;
  * the post-hook drops rows of any session that is deleted or now stale (e.g. all its laps removed).

  What `session_id in ({{ sessions_to_build(...) }})` expands to. A full build: the subquery over every live
  session. An incremental run asks the warehouse first (one small query on the versions relation and the
  model's own table) and pastes the ids as literals, so the filter is a plain restriction the planner pushes
  through the intermediate views into each raw table's scan (issue 15: a `session_id in (select ...)` is a
  semi-join, which neither Postgres nor DuckDB pushes below a window or a union, so every incremental run read
  the whole warehouse). Postgres turns a one-element list into `session_id = '...'`, which it also carries
  across the views' joins. Ids are pasted only when every one is a lapstack session id (a-z, 0-9, _ and -,
  the rule of macros/test_scope.sql) and there are at most 500 of them (core/rebuilt_sessions.py's scope limit:
  above it a run is nearly a full one); otherwise the subquery form is kept (the same rows, read the old way).
  `ids_only=true` returns that list of ids itself (none when the subquery form applies).
-#}
{% macro sessions_to_build(versions_relation, ids_only=false) -%}
    {#- referenced outside the branch, so dbt records the dependencies when it parses (not incremental then);
        the session registry is read by the post-hook drop_stale_sessions -#}
    {%- if model.resource_type != 'unit_test' -%}{#- a unit test mocks only its model's own inputs -#}
        {%- set ledger = ref('int_session_builds') -%}
        {%- set registry = ref('stg_lapstack__sessions') -%}
    {%- endif -%}
    {%- set pending -%}
    select v.session_id
    from {{ versions_relation }} as v
    {% if is_incremental() %}
    where {{ not_yet_built('v', ledger) }}
    {% endif %}
    {%- endset -%}
    {%- if ids_only -%}
        {%- if not (execute and is_incremental()) -%}{{ return(none) }}{%- endif -%}
        {%- set ids = run_query(pending).columns[0].values() | list -%}
        {%- set valid = [] -%}
        {%- for sid in ids if sid is string and modules.re.fullmatch('[a-z0-9_-]{1,200}', sid) -%}
            {%- do valid.append(sid) -%}
        {%- endfor -%}
        {{- return(valid | sort if valid | length == ids | length and ids | length <= 500 else none) -}}
    {%- endif -%}
    {%- set ids = sessions_to_build(versions_relation, ids_only=true) -%}
    {%- if ids is none -%}{{ return(pending) }}{%- endif -%}
    {%- if ids | length == 0 -%}
        {{- return('select v.session_id from ' ~ versions_relation ~ ' as v where 1 = 0') -}}
    {%- endif -%}
    {{- return("'" ~ (ids | join("', '")) ~ "'") -}}
{%- endmacro %}

{#- The body of an import CTE of a view that joins inside (int_laps__race_picture, __positions, __timing),
    filtered to the sessions to build. Postgres carries `session_id = '<id>'` across the view's joins (the
    equality is an equivalence class) but not `session_id in (...)`, so with several sessions the view's joined
    parts were computed for the whole warehouse (fct_laps, 2 new sessions at 1,000: 98 s): here each session is
    its own `=` branch of a union all, up to 20 sessions (beyond that the `in` list, one plan). -#}
{% macro sessions_import(relation, versions_relation) -%}
    {%- set ids = sessions_to_build(versions_relation, ids_only=true) -%}
    {%- if ids is not none and ids | length > 0 and ids | length <= 20 -%}
        {%- for sid in ids %}
    select * from {{ relation }} where session_id = '{{ sid }}'
            {%- if not loop.last %}
    union all
            {%- endif -%}
        {%- endfor -%}
    {%- else %}
    select * from {{ relation }}
    where session_id in ({{ sessions_to_build(versions_relation) }})
    {%- endif -%}
{%- endmacro %}


{#- The model's relation name, checked to be a plain identifier before it is pasted as a literal. -#}
{% macro built_model_name() -%}
    {%- if not modules.re.fullmatch('[a-z_][a-z0-9_]{0,62}', this.identifier) -%}
        {{ exceptions.raise_compiler_error("model name " ~ this.identifier ~ " is not a lower-case identifier") }}
    {%- endif -%}
    {{- return(this.identifier) -}}
{%- endmacro %}

{#- Post-hook of the contract, after drop_stale_sessions: the sessions the run built and found no rows for
    (those the model still lacks at their current version, which sessions_to_build would pick again) go into
    int_session_builds. A full refresh first forgets the model's earlier record (forget_empty_sessions). -#}
{% macro record_empty_sessions(versions_relation) -%}
    {%- set ledger = ref('int_session_builds') -%}
    insert into {{ ledger }} (model_name, session_id, session_version)
    select
        '{{ built_model_name() }}' as model_name,
        v.session_id,
        v.session_version
    from {{ versions_relation }} as v
    where {{ not_yet_built('v', ledger) }}
{%- endmacro %}

{#- The predicate both of the above share: the session version `alias` (a versions row) is neither in the
    model's table nor recorded in the ledger as built with no rows for this model. -#}
{% macro not_yet_built(alias, ledger) -%}
    {{ not_in_model(alias) }}
    and not exists (
        select 1 from {{ ledger }} as b
        where
            b.model_name = '{{ built_model_name() }}'
            and b.session_id = {{ alias }}.session_id
            and b.session_version = {{ alias }}.session_version
    )
{%- endmacro %}

{#- Its first half, also drop_stale_sessions' question: the model has no row of session version `alias`. -#}
{% macro not_in_model(alias) -%}
    not exists (
        select 1 from {{ this }} as t
        where t.session_id = {{ alias }}.session_id and t._session_version = {{ alias }}.session_version
    )
{%- endmacro %}

{#- Post-hook before record_empty_sessions: a full refresh (or first build) of the model forgets what the
    model recorded before; an incremental run keeps it (an empty hook is not run). -#}
{% macro forget_empty_sessions() -%}
    {%- if not is_incremental() -%}
    delete from {{ ref('int_session_builds') }} where model_name = '{{ built_model_name() }}'
    {%- endif -%}
{%- endmacro %}
