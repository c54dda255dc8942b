{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='session_id',
    on_schema_change='append_new_columns',
    indexes=[{'columns': ['session_id', 'driver']}, {'columns': ['series', 'season']}, {'columns': ['driver']}]
    if target.type == 'postgres' else [],
    cluster_by=['session_id', 'driver'] if target.type == 'snowflake' else none,
    post_hook=session_contract_hooks(),
) }}

with sessions as (
    select * from {{ ref('dim_sessions') }}
    where session_id in ({{ sessions_to_build(ref('dim_sessions')) }})
),

unioned_laps as (
    {{ sessions_import(ref('int_laps__unioned'), ref('dim_sessions')) }}
),

laps as (
    select l.*
    from unioned_laps as l
    inner join sessions as s on l.session_id = s.session_id
),

session_medians as (
    select
        session_id,
        {{ median('lap_time') }} as median_lap_time
    from laps
    where lap_time > 0 and lap_number < {{ number_var('lost_counter_lap') }}
    group by session_id
),

flagged as (
    select
        l.*,
        l.lap_number >= {{ number_var('lost_counter_lap') }} as is_lost_counter,
        coalesce(
            l.lap_time > 0 and (
                l.lap_time < m.median_lap_time * {{ number_var('outlier_low_ratio') }}
                or l.lap_time > m.median_lap_time * {{ number_var('outlier_high_ratio') }}
            ),
            false
        ) as is_outlier,
        {{ session_kind('s.session_name') }} as session_kind,
        min(case when l.is_provider_best_lap then l.lap_time end)
            over (partition by l.session_id, l.driver) as provider_best_lap_time,
        max(case when l.lap_number < {{ number_var('lost_counter_lap') }} then l.lap_number end)
            over (partition by l.session_id, l.driver) as last_lap_number
    from laps as l
    left join session_medians as m on l.session_id = m.session_id
    inner join sessions as s on l.session_id = s.session_id
),

validity as (
    -- The lap validity rules live in macros/lap_validity.sql.
    select
        *,
        {{ is_start_lap('session_kind', 'lap_number') }} as is_start_lap,
        {{ is_provider_rejected('lap_time', 'provider_best_lap_time') }} as is_provider_rejected,
        {{ is_unfinished_lap('is_generated_lap', 'lap_number', 'last_lap_number', 'lap_time', 'sector_3_time') }}
            as is_unfinished_lap
    from flagged
),

racing as (
    select
        *,
        (
            lap_number >= 1
            and not is_lost_counter
            and coalesce(lap_time > 0, false)
            and not is_pit_in_lap
            and not is_pit_out_lap
            and not is_deleted
            and not is_outlier
        ) as is_racing_lap,
        {{ is_fastest_lap_eligible() }} as is_fastest_lap_eligible
    from validity
),

paced as (
    select
        *,
        {{ is_pace_lap() }} as is_pace_lap
    from racing
),

ranked as (
    select
        *,
        row_number() over (
            partition by session_id, driver, is_fastest_lap_eligible
            order by lap_time, lap_number
        ) as eligible_rank
    from paced
),

race_picture as {{ materialized_cte() }} (
    {{ sessions_import(ref('int_laps__race_picture'), ref('dim_sessions')) }}
)

select
    {{ session_key_columns('s', event_name=true) }},
    r.driver,
    r.lap_number,
    {{ mart_seconds('r.lap_time') }} as lap_time,
    {{ mart_seconds('r.sector_1_time') }} as sector_1_time,
    {{ mart_seconds('r.sector_2_time') }} as sector_2_time,
    {{ mart_seconds('r.sector_3_time') }} as sector_3_time,
    r.flag,
    r.is_green_flag,
    r.is_pit_in_lap,
    r.is_pit_out_lap,
    r.is_deleted,
    r.is_lost_counter,
    r.is_outlier,
    r.is_racing_lap,
    r.is_fastest_lap_eligible and r.eligible_rank = 1 as is_personal_best,
    r.session_kind,
    r.is_start_lap,
    r.is_pit_lane_finish,
    r.is_provider_best_lap,
    r.is_provider_rejected,
    r.is_unfinished_lap,
    r.is_fastest_lap_eligible,
    r.is_pace_lap,
    {{ mart_seconds('r.lap_end_time') }} as lap_end_time,
    rp.lap_start_time,
    rp.team,
    rp.position,
    {{ mart_seconds('rp.gap_to_leader') }} as gap_to_leader,
    {{ mart_seconds('rp.interval_to_ahead') }} as interval_to_ahead,
    rp.stint,
    rp.compound,
    rp.tyre_life,
    rp.track_status,
    rp.air_temp_c,
    rp.track_temp_c,
    rp.is_raining,
    r.source_format,
    r._batch_id,
    r._source_file,
    r._source_line,
    r._loaded_at,
    s.session_version as _session_version
from ranked as r
inner join sessions as s on r.session_id = s.session_id
left join race_picture as rp
    on
        r.session_id = rp.session_id
        and r._batch_id = rp._batch_id
        and r._source_line = rp._source_line
order by r.session_id, r.driver, r.lap_number
