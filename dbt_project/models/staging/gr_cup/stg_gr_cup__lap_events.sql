{#- ECU lap events typed, with their real quirks flagged rather than dropped. -#}
with source as (
    select * from {{ source('lapstack_telemetry', 'gr_cup_lap_events') }}
),

typed as (
    select
        _session_id as session_id,
        _driver as driver,
        event_kind,
        vehicle_id,
        cast(lap as integer) as lap_number,
        cast({{ dbt.replace(dbt.replace('event_timestamp', "'T'", "' '"), "'Z'", "''") }} as timestamp)
            as event_time,
        case
            when event_kind = 'lap_time' and value is not null
                then cast(value as {{ dbt.type_float() }})
        end as lap_time_ms,
        meta_event,
        meta_session,
        {{ raw_lineage_columns() | indent(8) }}
    from source
),

flagged as (
    select
        session_id,
        driver,
        event_kind,
        vehicle_id,
        lap_number,
        event_time,
        lap_time_ms,
        lap_number >= {{ number_var('lost_counter_lap') }} as is_lost_counter,
        coalesce(
            lap_time_ms < {{ telemetry_var('telemetry_min_plausible_lap_ms') }}
            or lap_time_ms > {{ telemetry_var('telemetry_max_plausible_lap_ms') }},
            false
        ) as is_implausible_lap_time,
        meta_event,
        meta_session,
        {{ raw_lineage_columns() | indent(8) }}
    from typed
)

select * from flagged
