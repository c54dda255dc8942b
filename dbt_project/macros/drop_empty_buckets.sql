{#- Post-hook of the lap activity marts: a bucket none of whose laps is left (its only session deleted) is
    removed; delete+insert only replaces buckets that still have rows. `source` holds the live laps with the
    bucket `keys`. -#}
{% macro drop_empty_buckets(source, keys) -%}
    {%- set key_text -%}
        {%- for key in keys -%}
            cast({{ key }} as {{ dbt.type_string() }}){{ " || '#' || " if not loop.last }}
        {%- endfor -%}
    {%- endset %}
    delete from {{ this }}
    where {{ key_text }} not in (
        select {{ key_text }} from {{ source }}
        where {{ keys[-1] }} is not null
    )
{%- endmacro %}
