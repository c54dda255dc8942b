{#- Non-null values of the column lie in [min_value, max_value] (either bound optional); native, no dbt_utils. -#}
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
