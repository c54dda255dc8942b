{#- Generic tests shipped with the project (the dbt hub is not reachable from here, so no dbt_utils). -#}

{% test unique_combination(model, columns, where=none) %}
    select {{ columns | join(', ') }}, count(*) as n_rows
    from {{ model }}
    {% if where %}where {{ where }}{% endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{% test accepted_range(model, column_name, min_value=none, max_value=none, where=none) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
      and (
        1 = 0
        {% if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
        {% if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
      )
      {% if where %}and ({{ where }}){% endif %}
{% endtest %}
