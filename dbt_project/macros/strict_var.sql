{#-
  Typed dbt vars: every var that reaches SQL goes through one of these, which refuse anything but the
  documented shape. A var is pasted into the compiled SQL, so `--vars '{outlier_high_ratio: "3 or true"}'`
  or a rebuild date with a quote in it would otherwise change the query (the Dagster job config reaches
  these vars too). The error names the var and what it must be; nothing runs.
-#}
{% macro number_var(name, default=none) -%}
    {%- set value = var(name, default) -%}
    {%- set text = value | string | trim -%}
    {%- if value is none or value is boolean
          or not modules.re.fullmatch('[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,3})?', text) -%}
        {{ exceptions.raise_compiler_error("dbt var " ~ name ~ "=" ~ (value | string)[:60] ~ " is not a number") }}
    {%- endif -%}
    {#- a number, not text: callers also do arithmetic on it in Jinja (e.g. -1 * lookback) -#}
    {%- if modules.re.fullmatch('[+-]?\\d+', text) -%}
        {{- return(text | int) -}}
    {%- endif -%}
    {{- return(text | float) -}}
{%- endmacro %}

{% macro timestamp_var(name) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none -%}{{ return(none) }}{%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.fullmatch('\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?)?', text) -%}
        {{ exceptions.raise_compiler_error("dbt var " ~ name ~ "=" ~ (value | string)[:60]
            ~ " is not an ISO date or timestamp like 2023-11-19 or 2023-11-19T06:00:00") }}
    {%- endif -%}
    {{- return(text) -}}
{%- endmacro %}
