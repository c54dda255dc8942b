{{ config(
    indexes=[{'columns': ['session_id'], 'unique': true}] if target.type == 'postgres' else [],
) }}
{#- Live sessions and the version each was last (re)loaded at: the incremental marts key off it. -#}
with sessions as (
    select * from {{ ref('stg_lapstack__sessions') }}
)

select
    session_id,
    series,
    season,
    event,
    {{ event_name('event') }} as event_name,
    session_name,
    source_format,
    session_version,
    source_file,
    updated_at as loaded_at
from sessions
where not is_deleted
