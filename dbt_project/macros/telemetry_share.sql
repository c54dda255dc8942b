{#- Shared channel semantics: percentage of rows where the flag holds (of the rows where `valid` is not null).
    Double precision on every target (Postgres would average the 1.0 / 0.0 numerics to numeric). -#}
{% macro telemetry_share(flag, valid=none) -%}
    {%- if valid is none -%}
    cast(100.0 * avg(case when {{ flag }} then 1.0 else 0.0 end) as double precision)
    {%- else -%}
    cast(100.0 * avg(case when {{ valid }} is null then null when {{ flag }} then 1.0 else 0.0 end) as double precision)
    {%- endif -%}
{%- endmacro %}
