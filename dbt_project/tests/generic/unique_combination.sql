{#- No two rows share the combination of `columns` (optionally among rows matching `where`); native, no dbt_utils. -#}
{% test unique_combination(model, columns, where=none) %}
    select {{ columns | join(', ') }}, count(*) as n_rows
    from {{ model }}
    {% if where %}where {{ where }}{% endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
