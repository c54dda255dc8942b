{#- Every difference from the official record is explained: a row that does not match carries a `reason`
    naming the rule (session_reconciliation). Fails the build otherwise. -#}
{% test reconciled(model) %}
    select *
    from {{ model }}
    where not matches and reason is null
{% endtest %}
