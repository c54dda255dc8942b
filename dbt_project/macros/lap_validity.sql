{#-
  LAP VALIDITY: the one place that says which laps count for what (README "Lap validity" repeats it).

  Two families, both kept in the marts:

  1. Official-eligible laps (`is_fastest_lap_eligible`): the laps the official record can take a fastest lap
     from; `session_driver_stats.best_lap_time` and every "fastest lap" are over these laps only.
       * a timed lap: lap_number >= 1, not the lost-counter marker, lap_time > 0, not an outlier;
       * not deleted by race control (FastF1 `Deleted`, lapstack `is_deleted`);
       * not an unfinished lap (see `is_unfinished_lap`);
       * not rejected by the provider: where the timing provider marks each car's official best lap
         (GR Cup / Al Kamel `LAP_IMPROVEMENT` > 0), a lap faster than the marked one was refused by the
         provider (track limits and the like, shipped no other way) and is not eligible;
       * not a start lap: lap 1 of a race is timed from a standing or rolling start, a partial lap, never a
         flying one;
       * not a lap that ended in the pit lane (`is_pit_lane_finish`: GR Cup CROSSING_FINISH_LINE_IN_PIT,
         FastF1 a pit entry before the lap's end): the official record never takes it (F1 races whose
         fastest lapstack lap was an in-lap got another, or no, official fastest lap). FastF1 also gives
         the pit entry that follows the chequered flag of a qualifying part to a lap that crossed the line
         first: that lap is a flying lap and stays eligible;
       * in qualifying and practice, not a pit-out lap: it is timed from the pit exit, a partial lap (after
         a red flag such a lap can show a time far below any flying lap). In a race the out-lap runs line
         to line (the in-lap ended at the line in the pit lane) and stays eligible;
     A lap the provider marks as the official best is always eligible.

  2. Pace laps (`is_pace_lap`): representative race pace, for average, median, consistency and the
     optimal lap: a racing lap (timed, not pit in / out, not deleted, not an outlier), not a start lap,
     not rejected by the provider, and green: the source's flag says green (GR Cup GF/FF, FastF1 track
     status only `1`). Where the source ships no flag at all (Ergast) the lap is not excluded for it.

  Unfinished lap (`is_unfinished_lap`): a lap the car never completed, so neither eligible nor counted in
  `laps_completed`: the source made it up (FastF1 `FastF1Generated`, a retirement), or it is the car's last
  lap and it never reached the line (no lap time and no final-sector time: e.g. retiring into a pit lane
  whose entry is before the line). An untimed lap before the last one was completed (the car crossed the
  line again later: red-flag and safety-car laps often have no time).

  Session kind, from the session name: qualifying (`qualifying`, `shootout`), practice (`practice`, `fp`,
  `test`, `warm`), race (`race`, `sprint`, `feature`, `grand prix`), else other (treated like practice).
-#}

{% macro session_kind(session_name) -%}
    case
        when lower({{ session_name }}) like '%qualif%' or lower({{ session_name }}) like '%shootout%'
            then 'qualifying'
        when
            lower({{ session_name }}) like '%practice%'
            or lower({{ session_name }}) like 'fp%'
            or lower({{ session_name }}) like '%test%'
            or lower({{ session_name }}) like '%warm%'
            then 'practice'
        when
            lower({{ session_name }}) like '%race%'
            or lower({{ session_name }}) like '%sprint%'
            or lower({{ session_name }}) like '%feature%'
            or lower({{ session_name }}) like '%grand prix%'
            then 'race'
        else 'other'
    end
{%- endmacro %}

{#- Lap 1 of a race: from a standing or rolling start, a partial lap. -#}
{% macro is_start_lap(session_kind, lap_number) -%}
    ({{ session_kind }} = 'race' and {{ lap_number }} = 1)
{%- endmacro %}

{#- The car never completed the lap; `last_lap_number` is the driver's highest lap number below the lost counter. -#}
{% macro is_unfinished_lap(is_generated_lap, lap_number, last_lap_number, lap_time, sector_3_time) -%}
    (
        coalesce({{ is_generated_lap }}, false)
        or (
            {{ lap_number }} = {{ last_lap_number }}
            and {{ lap_time }} is null
            and {{ sector_3_time }} is null
        )
    )
{%- endmacro %}

{#- A lap faster than the lap the provider marked as the car's official best (null mark: never rejected). -#}
{% macro is_provider_rejected(lap_time, marked_best_time) -%}
    coalesce({{ lap_time }} < {{ marked_best_time }}, false)
{%- endmacro %}

{#- Official-eligible lap; expects the columns of fct_laps' `flagged` step. -#}
{% macro is_fastest_lap_eligible() -%}
    (
        coalesce(is_provider_best_lap, false)
        or (
            lap_number >= 1
            and not is_lost_counter
            and coalesce(lap_time > 0, false)
            and not is_outlier
            and not is_deleted
            and not is_unfinished_lap
            and not is_provider_rejected
            and not is_start_lap
            and not coalesce(is_pit_lane_finish, false)
            and not (session_kind <> 'race' and is_pit_out_lap)
        )
    )
{%- endmacro %}

{#- Representative race pace; expects `is_racing_lap` and the flags above. -#}
{% macro is_pace_lap() -%}
    (
        is_racing_lap
        and not is_start_lap
        and not is_provider_rejected
        and coalesce(is_green_flag, true)
    )
{%- endmacro %}
