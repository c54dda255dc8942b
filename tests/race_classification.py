"""Final-lap positions from the laps (marts.lap_positions) vs the official classification.

The official record's own documented differences (post-race time penalties, disqualifications, stewards'
placings, a results file that is not of these laps, car numbers shared by two entries) are detected from the
data, never listed by session."""
from __future__ import annotations

OFFICIAL_SQL = """
select session_id, driver, position, total_time, laps_completed, status from (
    select session_id, driver, position, total_time, cast(null as integer) as laps_completed, status
    from staging.stg_fastf1__results
    union all
    select session_id, driver, position, total_time, laps_completed, status from staging.stg_gr_cup__results
) as official
"""
FINAL_SQL = """
select session_id, driver, lap_number, position, line_time from marts.lap_positions as p
where lap_number = (select max(q.lap_number) from marts.lap_positions as q
                    where q.session_id = p.session_id and q.driver = p.driver)
"""


def _placed_out_of_time_order(record: dict) -> set[str]:
    """Cars the official record itself places behind cars with fewer laps or a longer total time."""
    timed = {d: (laps, total) for d, (pos, total, laps) in record.items()
             if pos is not None and total is not None and laps is not None}
    out = set()
    for drv, (laps, total) in timed.items():
        pos = record[drv][0]
        for other, (o_laps, o_total) in timed.items():
            if record[other][0] < pos and (o_laps < laps or (o_laps == laps and o_total > total + 0.0005)):
                out.add(drv)
    return out


def classification_check(wh):
    """(compared, mismatches, exceptions): each exception names the reason the official record differs."""
    official: dict[str, dict] = {}
    status: dict[tuple[str, str], str] = {}
    for sid, drv, pos, total, laps, stat in wh.query(OFFICIAL_SQL):
        official.setdefault(sid, {})[drv] = (pos, total, laps)
        status[(sid, drv)] = (stat or "").lower()
    final: dict[str, dict] = {}
    for sid, drv, lap, pos, line in wh.query(FINAL_SQL):
        final.setdefault(sid, {})[drv] = (lap, pos, line)
    compared, mismatches, exceptions = 0, [], []
    for sid, cars in sorted(final.items()):
        record = official.get(sid)
        if not record:
            continue
        winner = next((d for d, v in record.items() if v[0] == 1 and d in cars), None)
        if winner is None:
            continue
        w_lap, _, w_line = cars[winner]
        w_total = record[winner][1]
        flag_line = max(line for lap, _, line in cars.values() if lap == w_lap and line <= w_line + 1e-9)
        finishers = {d for d, (lap, _, line) in cars.items() if line >= flag_line - 1e-9}
        # Timed gap vs official gap to the official winner: a positive whole-second excess is a time penalty.
        penalty, contradicts = {}, set()
        for drv, (lap, _, line) in cars.items():
            total = record.get(drv, (None, None, None))[1]
            if total is None or w_total is None or lap != w_lap:
                continue
            diff = (total - w_total) - (line - w_line)
            if abs(diff) <= 0.15:
                continue
            if diff >= 0.85 and abs(diff - round(diff)) <= 0.15:
                penalty[drv] = diff
            else:
                contradicts.add(drv)
        # Two entries sharing a car number (`3` / `3#2`): results and laps may pair them the other way round.
        swapped = set()
        for drv in contradicts:
            total = record[drv][1]
            for other, (_lap, _, line) in cars.items():
                if other != drv and other.split("#")[0] == drv.split("#")[0] and \
                        abs((total - w_total) - (line - w_line)) <= 0.001:
                    swapped |= {drv, other}
        contradicts -= swapped
        unclassified = {d for d in finishers if d in record and record[d][0] is None}
        disqualified = {d for d in unclassified if "disq" in status[(sid, d)] or status[(sid, d)] == "dsq"}
        retired = unclassified - disqualified
        timed_finishers = [d for d in finishers if record.get(d, (None, None))[1] is not None]
        if retired or len(contradicts) * 2 > len(timed_finishers):
            exceptions.append((sid, "*", f"not the record of these laps: cars it lists as retired took the flag "
                                         f"{sorted(retired)}, its times contradict the laps of {len(contradicts)} "
                                         f"of {len(timed_finishers)} timed finishers"))
            continue
        demoted = _placed_out_of_time_order(record)
        for drv in sorted(disqualified):
            exceptions.append((sid, drv, "took the flag, not classified (disqualified)"))
        removed = disqualified | demoted
        rank = sorted((d for d in cars if d not in removed),
                      key=lambda d: (-cars[d][0], cars[d][2] + penalty.get(d, 0.0)))
        adjusted = {d: i + 1 for i, d in enumerate(rank)}
        adjusting = bool(penalty or removed)
        for drv in sorted(finishers - disqualified):
            lap, pos, line = cars[drv]
            off_pos, total, _ = record.get(drv, (None, None, None))
            if off_pos is None:
                continue
            if drv in swapped:
                exceptions.append((sid, drv, "car number shared by two entries, paired the other way round"))
                continue
            if drv in demoted:
                exceptions.append((sid, drv, "placed by the record behind slower cars (stewards' decision)"))
                continue
            expected = adjusted[drv] if adjusting else pos
            if expected != off_pos and penalty and total is None:
                exceptions.append((sid, drv, "lapped, no official time: a post-race penalty cannot be seen"))
                continue
            if expected != off_pos and drv in contradicts:
                exceptions.append((sid, drv, "official time contradicts the timed laps"))
                continue
            compared += 1
            if expected != off_pos:
                mismatches.append((sid, drv, pos, expected, off_pos, penalty.get(drv)))
    return compared, mismatches, exceptions
