"""Gap-driven FastF1 import: each missing session loaded once, every data type extracted, quota respected.

Order per session: reserve its estimated calls (a claim other processes see), one `Session.load`,
extract every type, land them in one warehouse transaction, then close the reservation. When the
quota or `--max-calls` would be exceeded the run pauses (`wait`) or stops; what it did not reach stays
a gap, so the next run resumes exactly there.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from loaders.fastf1 import transport
from loaders.fastf1.config import ImportConfig
from loaders.fastf1.extract import Extract, extract_all, session_status
from loaders.fastf1.gaps import DEFAULT_SCHEDULE_COST, GapReport, SessionGap, detect_gaps
from loaders.fastf1.land import Attempt, connect_when_free, land, now_utc
from loaders.fastf1.ledger import AlreadyClaimed, Ledger, QuotaExhausted
from loaders.fastf1.schedule import PlannedSession, season_sessions
from loaders.fastf1.tables import DATA_TYPES


@dataclass
class ImportOptions:
    season: int
    round_number: int | None = None
    session_name: str | None = None
    force: bool = False
    replace: bool = False
    max_calls: int | None = None
    wait: bool = False
    as_of: dt.datetime | None = None
    retry_failed_after: dt.timedelta = dt.timedelta(hours=24)
    target: str | None = None


@dataclass
class Summary:
    run_id: str
    season: int
    gaps_detected: int = 0
    processed: int = 0
    succeeded: int = 0
    partial: int = 0
    failed: int = 0
    claimed_elsewhere: int = 0
    deferred: int = 0
    api_calls: int = 0
    calls_by_host: Counter = field(default_factory=Counter)
    pauses: int = 0
    paused_s: float = 0.0
    duration_s: float = 0.0
    stopped: str | None = None  # why the run ended early; None when every gap was handled
    rows_by_type: Counter = field(default_factory=Counter)
    sessions_by_type: dict[str, Counter] = field(default_factory=dict)
    attempts: list[Attempt] = field(default_factory=list)

    def add(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        self.processed += 1
        self.succeeded += attempt.status == "ok"
        self.partial += attempt.status == "partial"
        self.failed += attempt.status == "failed"
        for e in attempt.extracts:
            self.sessions_by_type.setdefault(e.data_type, Counter())[e.status] += 1
            if e.status == "ok":
                self.rows_by_type[e.data_type] += e.rows


class Stop(Exception):  # noqa: N818
    """The run cannot continue without exceeding the quota or --max-calls; state stays resumable."""


class Importer:
    def __init__(self, cfg: ImportConfig, opts: ImportOptions, log: Callable[[str], None] = print):
        self.cfg, self.opts, self.log = cfg, opts, log
        self.run_id = uuid.uuid4().hex
        self.summary = Summary(self.run_id, opts.season)
        self.ledger = Ledger(cfg.ledger_path, cfg.limits)
        self.planned_at = self.ledger.clock()
        transport.configure_fastf1(cfg.cache_dir)
        transport.install(cfg.replay_dir)

    # -- quota -----------------------------------------------------------------------------
    def _pause(self, exc: QuotaExhausted) -> None:
        if not self.opts.wait:
            reset = dt.datetime.fromtimestamp(exc.retry_at).strftime("%H:%M:%S")
            raise Stop(f"{exc}; quota frees at {reset} (rerun, or pass --wait)") from None
        if exc.needed > exc.limit.calls:
            raise Stop(f"{exc}: one load needs more than the whole limit") from None
        delay = max(0.5, exc.retry_at - self.ledger.clock())
        self.log(f"  rate limit {exc.limit.name}: pausing {delay:.0f}s until the window frees")
        self.summary.pauses += 1
        self.summary.paused_s += delay
        time.sleep(delay)

    def _reserve(self, key: str, kind: str, estimate: dict[str, int], planned_at: float | None) -> int:
        while True:
            try:
                return self.ledger.reserve(key, kind, estimate, self.run_id, planned_at)
            except QuotaExhausted as exc:
                self._pause(exc)

    def _charged(self, key: str, kind: str, estimate: dict[str, int], planned_at: float | None,
                 work: Callable[[], object]) -> tuple[object, int, str]:
        """Run `work` under a reservation, retrying after a pause if the quota runs out mid-way."""
        while True:
            rid = self._reserve(key, kind, estimate, planned_at)
            try:
                with transport.charged_to(self.ledger, self.run_id, rid) as spent:
                    result = work()
            except QuotaExhausted as exc:
                self._count(spent)
                self.ledger.close_reservation(rid, "aborted")
                self._pause(exc)
                continue
            except BaseException:
                self._count(spent)
                self.ledger.close_reservation(rid, "aborted")
                raise
            self._count(spent)
            return result, rid, ""

    def _count(self, spent: Counter) -> None:
        self.summary.api_calls += sum(spent.values())
        self.summary.calls_by_host.update(spent)

    # -- steps -----------------------------------------------------------------------------
    def schedule(self) -> list[PlannedSession]:
        o = self.opts
        sessions, rid, _ = self._charged(f"schedule:{o.season}:{self.run_id}", "schedule",
                                         dict(DEFAULT_SCHEDULE_COST), None,
                                         lambda: season_sessions(o.season, o.round_number, o.session_name))
        self.ledger.close_reservation(rid, "skipped")
        return sessions  # type: ignore[return-value]

    def gaps(self, sessions: list[PlannedSession]) -> GapReport:
        wh = connect_when_free(self.opts.target)
        try:
            return detect_gaps(wh, self.ledger, sessions, self.opts.season, self.opts.as_of or now_utc(),
                               self.opts.retry_failed_after, force=self.opts.force)
        finally:
            wh.close()

    def _load(self, planned: PlannedSession) -> tuple[list[Extract], str | None]:
        import fastf1

        try:
            session = fastf1.get_session(planned.season, planned.round_number, planned.session_name)
            session.load(laps=True, telemetry=True, weather=True, messages=True)
        except QuotaExhausted:
            raise
        except Exception as exc:  # noqa: BLE001 - the session failed; the run goes on
            return [Extract(t, "failed", detail=str(exc)[:500]) for t in DATA_TYPES], f"{type(exc).__name__}: {exc}"
        return extract_all(session), None

    def import_session(self, gap: SessionGap) -> Attempt | None:
        planned = gap.planned
        if self.opts.max_calls is not None and \
                self.summary.api_calls + gap.estimate.get("all", 0) > self.opts.max_calls:
            raise Stop(f"--max-calls {self.opts.max_calls}: {self.summary.api_calls} used, next load may need "
                       f"{gap.estimate.get('all', 0)}")
        started = now_utc()
        try:
            (extracts, error), rid, _ = self._charged(planned.session_id, planned.kind, gap.estimate,
                                                      self.planned_at, lambda: self._load(planned))
        except AlreadyClaimed as exc:
            self.log(f"  skip {planned.label}: {exc}")
            self.summary.claimed_elsewhere += 1
            return None
        calls = sum(self.ledger.calls_for(rid).get(lim.name, 0) for lim in self.cfg.limits if lim.name == "all")
        attempt = Attempt(self.run_id, planned, session_status(extracts), extracts, calls, started, now_utc(),
                          error=error)
        try:
            wh = connect_when_free(self.opts.target)
            try:
                land(wh, attempt, replace=self.opts.replace)
            finally:
                wh.close()
        except BaseException:
            self.ledger.close_reservation(rid, "aborted")
            raise
        self.ledger.close_reservation(rid, attempt.status)
        return attempt

    def run(self) -> Summary:
        started = time.monotonic()
        try:
            sessions = self.schedule()
            report = self.gaps(sessions)
            self.summary.gaps_detected = len(report.gaps)
            pending = list(report.gaps)
            while pending:
                gap = pending[0]
                attempt = self.import_session(gap)
                pending.pop(0)
                if attempt is not None:
                    self.summary.add(attempt)
                    self.log(f"  {attempt.status:8} {gap.planned.label}: {attempt.api_calls} calls, "
                             + ", ".join(f"{e.data_type}={e.rows if e.status == 'ok' else e.status}"
                                         for e in attempt.extracts))
        except Stop as exc:
            self.summary.stopped = str(exc)
            self.summary.deferred = len(pending) if "pending" in locals() else 0
        finally:
            self.summary.duration_s = time.monotonic() - started
            self.ledger.close()
        return self.summary
