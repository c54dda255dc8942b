{#- Post-hook of the session-keyed incremental contract (see sessions_to_build): rows of a session that is
    deleted or whose version moved on are dropped. -#}
{% macro drop_stale_sessions(versions_relation) -%}
    delete from {{ this }}
    where session_id || '#' || cast(_session_version as {{ dbt.type_string() }}) not in (
        select session_id || '#' || cast(session_version as {{ dbt.type_string() }})
        from {{ versions_relation }}
    )
{%- endmacro %}
