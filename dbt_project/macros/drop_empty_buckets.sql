{#- Post-hook of the lap activity marts: a bucket none of whose laps is left (its only session deleted) is
    removed; delete+insert only replaces buckets that still have rows. `source` holds the live laps (the ledger:
    int_laps__activity_ledger, some tens of rows per session) with the bucket `keys`; the key text is built
    from columns on both sides, never from pasted values. -#}
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
