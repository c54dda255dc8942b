{#- Smallest non-null value of the expressions, null when all are null, the same on every target
    (Snowflake's LEAST is null as soon as one argument is). -#}
{% macro least_of(exprs) -%}
    case
        when coalesce({{ exprs | join(', ') }}) is not null
            then least(
                {%- for e in exprs %}
                    coalesce({{ e }}, {{ e }}, {{ exprs | join(', ') }}){{ ',' if not loop.last }}
                {%- endfor %}
            )
    end
{%- endmacro %}
