{#-
  The session-keyed incremental contract shared by fct_laps and every mart:
  * a row carries `_session_version`, the raw.sessions version it was built from;
  * an incremental run selects only sessions whose current version the model has not seen;
  * the post-hook drops rows of any session that is deleted or now stale (e.g. all its laps removed).
-#}
{% macro sessions_to_build(versions_relation) -%}
    select v.session_id
    from {{ versions_relation }} as v
    {% if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as t
        where t.session_id = v.session_id and t._session_version = v.session_version
    )
    {% endif %}
{%- endmacro %}
