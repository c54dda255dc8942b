{#- Post-hook of the session-keyed incremental contract (see sessions_to_build): rows of a session that is
    deleted or whose version moved on are dropped. Only sessions that can hold such rows are looked at (issue 15:
    the whole mart was compared with dim_sessions on every run): those the model still lacks at their current
    version after the build (rebuilt with no rows, so delete+insert left their old rows) and deleted sessions. -#}
{% macro drop_stale_sessions(versions_relation) -%}
    delete from {{ this }}
    where
        session_id in (
            select r.session_id from {{ ref('stg_lapstack__sessions') }} as r
            where r.is_deleted
            union all
            select v.session_id from {{ versions_relation }} as v
            where not exists (
                select 1 from {{ this }} as t
                where t.session_id = v.session_id and t._session_version = v.session_version
            )
        )
        and session_id || '#' || cast(_session_version as {{ dbt.type_string() }}) not in (
            select session_id || '#' || cast(session_version as {{ dbt.type_string() }})
            from {{ versions_relation }}
        )
{%- endmacro %}
