{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}
{#- The session-keyed incremental contract's record of sessions a mart built and found no rows for (a session
    without pit stops, weather or a published classification): its rows say "this model has seen this session
    at this version", which the mart itself cannot say with no row (macros/sessions_to_build.sql). Written only
    by the marts' post-hook record_empty_sessions; a build of this model adds nothing. Without it every
    incremental run rebuilt every such session again, a number that grows with the warehouse (issue 15). -#}
select
    cast(null as {{ dbt.type_string() }}) as model_name,
    cast(null as {{ dbt.type_string() }}) as session_id,
    cast(null as bigint) as session_version
where 1 = 0
