with source as (
    select * from {{ source('gr_cup', 'gr_cup_weather') }}
),

renamed as (
    select
        _session_id as session_id,
        {{ dbt.dateadd(
            'second',
            'cast(cast(time_utc_seconds as double precision) as bigint)',
            "cast('1970-01-01 00:00:00' as timestamp)",
        ) }} as sample_time_utc,
        time_utc_str as sample_time_text,
        cast(air_temp as double precision) as air_temp_c,
        cast(track_temp as double precision) as track_temp_c,
        cast(humidity as double precision) as humidity_pct,
        cast(pressure as double precision) as pressure_mbar,
        cast(wind_speed as double precision) as wind_speed,
        cast(wind_direction as double precision) as wind_direction_deg,
        coalesce(cast(rain as double precision) > 0, false) as is_raining,
        {{ raw_lineage_columns() | indent(8) }}
    from source
)

select * from renamed
