{#-
  ============================================================================================
  SNOWFLAKE EMULATOR (fakesnow) OVERRIDES: active ONLY when the dbt target is named `fakesnow`.
  ============================================================================================
  On every other target, including a real Snowflake account, each macro below returns exactly what
  dbt-snowflake itself would (it delegates to the adapter's own macro), so production SQL is unchanged.

  fakesnow 0.12 (DuckDB underneath) cannot run three things dbt-snowflake emits on incremental re-runs:
    1. `create or replace temporary table <db>.<schema>.<name>`: DuckDB temp tables live only in the
       `temp` catalog (the same for `temporary view`). The emulator gets a transient table (a plain view)
       in the model's schema instead; dbt drops it at the end of the model, as it does the temp relation.
    2. MERGE's insert list `values ("COL", ...)` with bare names, which exist in both source and target:
       ambiguous for the emulator. It gets the same MERGE with `DBT_INTERNAL_SOURCE."COL"` in the values.
    3. dbt's explicit `begin; <dml>; commit;` wrapper around incremental DML: the emulator gets the DML
       alone (each statement autocommits; the connection runs one model at a time).
    4. A comment holding a single quote (`comment on table t is $$the session's laps$$`, persist_docs):
       fakesnow pastes the text into a quoted literal of its own information schema, fails with a parser
       error, answers HTTP 500 and the connector retries forever. The emulator gets the quote doubled,
       which its literal reads back as the one quote real Snowflake stores.
    5. The contract's `create or replace transient table t (col type, ...) as (select ...)`: fakesnow's
       rewrite of that form fails on a nested DATEDIFF (fct_telemetry) and answers HTTP 500 forever. The
       emulator gets the same contract check (dbt compares the select with the yml first) and the plain
       `create ... as (select ...)` it runs; the column list is what real Snowflake gets.
  The SQL the emulator does NOT run (the real-Snowflake variants) is compiled and parsed with sqlglot's
  Snowflake dialect in tests/test_snowflake_sql.py, and listed in the README.
-#}

{% macro lapstack_is_snowflake_emulator() -%}
    {{ return(target.type == 'snowflake' and target.name == 'fakesnow') }}
{%- endmacro %}


{#- 1. Temporary tables with database and schema. -#}
{% macro snowflake__create_table_temporary_sql(relation, compiled_code) -%}
    {%- if lapstack_is_snowflake_emulator() -%}
        {{ return(dbt.snowflake__create_table_transient_sql(relation, compiled_code)) }}
    {%- else -%}
        {{ return(dbt.snowflake__create_table_temporary_sql(relation, compiled_code)) }}
    {%- endif -%}
{%- endmacro %}


{#- 1b. The same for the temporary view dbt uses as the merge / append source. -#}
{% macro snowflake__create_view_as_with_temp_flag(relation, sql, is_temporary=False) -%}
    {%- set temporary = is_temporary and not lapstack_is_snowflake_emulator() -%}
    {{ return(dbt.snowflake__create_view_as_with_temp_flag(relation, sql, temporary)) }}
{%- endmacro %}


{#- 2. Ambiguous column names in MERGE's insert list: the emulator gets them qualified by the source alias. -#}
{% macro snowflake__get_merge_sql(target, source_sql, unique_key, dest_columns, incremental_predicates) -%}
    {%- if not lapstack_is_snowflake_emulator() or unique_key is none -%}
        {{ return(dbt.snowflake__get_merge_sql(target, source_sql, unique_key, dest_columns, incremental_predicates)) }}
    {%- endif -%}
    {%- set merge = dbt.default__get_merge_sql(target, source_sql, unique_key, dest_columns, incremental_predicates) -%}
    {%- set head = merge.rpartition('values')[0] -%}
    {%- set qualified = [] -%}
    {%- for column in dest_columns -%}
        {%- do qualified.append('DBT_INTERNAL_SOURCE.' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {{ return(head ~ 'values (' ~ qualified | join(', ') ~ ')') }}
{%- endmacro %}


{#- 3. dbt's begin/commit wrapper around incremental DML. -#}
{% macro snowflake_dml_explicit_transaction(dml) -%}
    {%- if lapstack_is_snowflake_emulator() -%}
        {{ return(dml) }}
    {%- endif -%}
    {{ return(dbt.snowflake_dml_explicit_transaction(dml)) }}
{%- endmacro %}


{#- 4. persist_docs comments: quotes doubled, one `alter table ... alter column` per column. -#}
{% macro snowflake__persist_docs(relation, model, for_relation, for_columns) -%}
    {%- if not lapstack_is_snowflake_emulator() -%}
        {{ return(dbt.snowflake__persist_docs(relation, model, for_relation, for_columns)) }}
    {%- endif -%}
    {%- if for_relation and config.persist_relation_docs() and model.description -%}
        {%- do run_query(alter_relation_comment(relation, model.description | replace("'", "''"))) -%}
    {%- endif -%}
    {%- if for_columns and config.persist_column_docs() and model.columns -%}
        {%- for column in model.columns.values() -%}
            {%- do run_query("alter table " ~ relation.render() ~ " alter column " ~ adapter.quote(column['name'])
                ~ " comment $$" ~ (column['description'] | replace('$', '[$]') | replace("'", "''")) ~ "$$") -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#- 5. Contracted tables: the check, then the plain CTAS. -#}
{% macro snowflake__create_table_as(temporary, relation, compiled_code, language='sql') -%}
    {%- set contract = config.get('contract') -%}  {#- none outside a model, e.g. in run-operation -#}
    {%- if not (lapstack_is_snowflake_emulator() and language == 'sql' and contract and contract.enforced) -%}
        {{ return(dbt.snowflake__create_table_as(temporary, relation, compiled_code, language)) }}
    {%- endif -%}
    {%- do get_assert_columns_equivalent(compiled_code) -%}
    {{ return('create or replace transient table ' ~ relation ~ ' as (\n' ~ compiled_code ~ '\n);') }}
{%- endmacro %}
