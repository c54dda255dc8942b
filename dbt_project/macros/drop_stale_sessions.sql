{#- Post-hook of the session-keyed incremental contract (see sessions_to_build): rows of a session that is
    deleted or whose version moved on are dropped. Only sessions that can hold such rows are looked at (issue 15:
    the whole mart was compared with dim_sessions on every run): those the model still lacks at their current
    version after the build (rebuilt with no rows, so delete+insert left their old rows) and deleted sessions.
    A row is kept when its (session, version) is a current one: a correlated `not exists` on both columns, no
    key text pasted together from values (the target's columns named by its
    validated relation name, built_model_name). -#}
{% macro drop_stale_sessions(versions_relation) -%}
    delete from {{ this }}
    where
        session_id in (
            select r.session_id from {{ ref('stg_lapstack__sessions') }} as r
            where r.is_deleted
            union all
            select v.session_id from {{ versions_relation }} as v
            where {{ not_in_model('v') }}
        )
        and not exists (
            select 1 from {{ versions_relation }} as cv
            where
                cv.session_id = {{ built_model_name() }}.session_id
                and cv.session_version = {{ built_model_name() }}._session_version
        )
{%- endmacro %}

{#- The post-hooks of every session-keyed mart, in their order (one list for fct_laps and session_mart_config):
    drop stale rows, forget a full refresh's earlier empty builds, record this run's empty builds. dbt renders
    hook strings when it parses, so their refs are the model's dependencies. -#}
{% macro session_contract_hooks() -%}
    {{ return([
        "{{ drop_stale_sessions(ref('dim_sessions')) }}",
        "{{ forget_empty_sessions() }}",
        "{{ record_empty_sessions(ref('dim_sessions')) }}",
    ]) }}
{%- endmacro %}
