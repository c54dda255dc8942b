{#-
  Data tests that scale with the change, not the warehouse (issue 15).

  dbt_project.yml gives every data test `where: "__rebuilt_sessions__"`. At run time this override of dbt's
  get_where_subquery replaces that placeholder with the sessions the run rebuilt, on tests of a model that has
  a `session_id` column; elsewhere (season and activity marts, keyed on other columns) it is `1 = 1`.

  The sessions come from the var `test_sessions` (a list, for a plain `dbt build --vars`) or else from the
  environment variable LAPSTACK_TEST_SESSIONS, a JSON list that `lapstack build` and Dagster's dbt steps set
  (an env var read only while executing is not part of dbt's partial-parse state, a cli var is: every run
  with another list would re-parse the whole project). Unset = full scope (plain `dbt build`, the scheduled
  full-scope tests); `[]` = the run rebuilt no session, so the session-keyed tests read no row.
  Every id must be a lapstack session id (a-z, 0-9, _ and -), else nothing runs: the ids are pasted into SQL.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__rebuilt_sessions__' in where -%}
        {%- set where = where | replace('__rebuilt_sessions__', rebuilt_sessions_predicate()) -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{- return(filtered) -}}
    {%- endif -%}
    {{- return(relation) -}}
{%- endmacro %}


{#- `session_id in (...)` for a session-keyed test of a scoped run, else `1 = 1` (full scope). -#}
{% macro rebuilt_sessions_predicate() -%}
    {%- if not execute -%}{{ return('1 = 1') }}{%- endif -%}
    {%- set sessions = test_sessions() -%}
    {%- if sessions is none or not tested_model_has_column('session_id') -%}{{ return('1 = 1') }}{%- endif -%}
    {%- if sessions | length == 0 -%}{{ return('1 = 0') }}{%- endif -%}
    {{- return("session_id in ('" ~ sessions | join("', '") ~ "')") -}}
{%- endmacro %}


{#- The validated list of session ids, or none for full scope. -#}
{% macro test_sessions() -%}
    {%- set given = var('test_sessions', none) -%}
    {%- set name = 'dbt var test_sessions' -%}
    {%- if given is none -%}
        {%- set text = env_var('LAPSTACK_TEST_SESSIONS', '') | trim -%}
        {%- if text == '' -%}{{ return(none) }}{%- endif -%}
        {%- set name = 'LAPSTACK_TEST_SESSIONS' -%}
        {%- if not modules.re.fullmatch('\\[\\s*("[a-z0-9_-]{1,200}"\\s*(,\\s*"[a-z0-9_-]{1,200}"\\s*)*)?\\]', text) -%}
            {{ exceptions.raise_compiler_error(name ~ "=" ~ text[:60]
                ~ " is not a JSON list of session ids like [\"gr_cup-2025-barber-race_1\"]") }}
        {%- endif -%}
        {%- set given = fromjson(text) -%}
    {%- endif -%}
    {%- if given is string or given is mapping or given is not iterable -%}
        {{ exceptions.raise_compiler_error(name ~ "=" ~ (given | string)[:60] ~ " is not a list of session ids") }}
    {%- endif -%}
    {%- for sid in given -%}
        {%- if sid is not string or not modules.re.fullmatch('[a-z0-9_-]{1,200}', sid) -%}
            {{ exceptions.raise_compiler_error(name ~ ": " ~ (sid | string)[:60]
                ~ " is not a session id (a-z, 0-9, _ and - only)") }}
        {%- endif -%}
    {%- endfor -%}
    {{- return(given | list) -}}
{%- endmacro %}


{#- Whether the model this test is attached to documents the column (every column is documented). -#}
{% macro tested_model_has_column(column) -%}
    {%- set attached = model.get('attached_node') -%}
    {%- set node = graph.nodes.get(attached) if attached else none -%}
    {{- return(node is not none and column in node.get('columns', {})) -}}
{%- endmacro %}
