{#- GR Cup publishes a session's results (overall and by class) in several files: provisional, official or
    unspecified, sometimes re-issued: keep only the rows of the session's record file. `renamed` is the model's
    CTE with `session_id`, `authority_rank`, `_loaded_at` and `_source_file`; the macro continues the model's
    `with` list. -#}
{% macro gr_cup_results_staging(renamed) -%}
files as (
    select distinct
        session_id,
        authority_rank,
        _loaded_at,
        _source_file
    from {{ renamed }}
),

ranked_files as (
    -- The session's record: official > unspecified > provisional file, then the latest load, then the path.
    select
        session_id,
        _source_file,
        row_number() over (
            partition by session_id order by authority_rank asc, _loaded_at desc, _source_file desc
        ) as file_rank
    from files
)

select {{ renamed }}.*
from {{ renamed }}
inner join ranked_files
    on
        {{ renamed }}.session_id = ranked_files.session_id
        and {{ renamed }}._source_file = ranked_files._source_file
where ranked_files.file_rank = 1
{%- endmacro %}


{#- The columns every GR Cup results file starts with: the session, driver and car, and the authority of the
    file the row came from (`_result_status`) as the rank gr_cup_results_staging keeps the best of. -#}
{% macro gr_cup_result_keys() -%}
_session_id as session_id,
_driver as driver,
trim(number) as car_number,
_result_status as result_status,
case _result_status when 'official' then 1 when 'unspecified' then 2 else 3 end as authority_rank
{%- endmacro %}
