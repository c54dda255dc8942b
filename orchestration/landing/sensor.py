"""Landing-folder sensor: each new or changed file runs the load path of its kind, keyed by content hash.

What a file is comes from the registry (`loaders.dispatch.classify`, as `lapstack load`): lap files load
through `raw/lap_files`, official side files (results, pit stops, Ergast races/drivers, ...) through
`raw/official_files`, telemetry and GR Cup lap events through `raw/telemetry_files`. Sidecars a parser reads
beside another file (`race_info.csv`) and unrecognised files never start a run: the reason is logged once and
kept in the cursor (`skipped`), which the sensor's page shows.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster import (
    DefaultSensorStatus,
    DynamicPartitionsDefinition,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from core.settings import LAPSTACK_LANDING_DIR, LAPSTACK_LANDING_SETTLE_SECONDS
from loaders.dispatch import ORDER, FileKind, classify
from orchestration.file_keys import key_for
from orchestration.jobs import lap_path_job, official_path_job, telemetry_path_job
from orchestration.laps.keys import lap_file_partitions
from orchestration.official.keys import official_file_partitions
from orchestration.settings import WAREHOUSE_WRITER_TAG
from orchestration.telemetry.keys import telemetry_file_partitions

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
SOURCE_TAG = "lapstack/source_sha256"
# How often the daemon evaluates the sensor: part of landing-to-marts latency (issue 15). 5 s is also the
# sensor daemon's own loop period, so a shorter interval would not tick sooner; a tick only stats the folder.
LANDING_TICK_SECONDS = 5


@dataclass(frozen=True)
class LoadPath:
    """Where files of one dispatch family go: the loader's partitions and the job loading and building them."""

    name: str
    partitions: DynamicPartitionsDefinition
    job: Any  # an asset job (define_asset_job)


LOAD_PATHS = {
    "laps": LoadPath("laps", lap_file_partitions, lap_path_job),
    "official": LoadPath("official", official_file_partitions, official_path_job),
    "lap_events": LoadPath("telemetry", telemetry_file_partitions, telemetry_path_job),
    "telemetry": LoadPath("telemetry", telemetry_file_partitions, telemetry_path_job),
}
# Files a parser reads beside the file it loads, and that no registered format matches on their own.
SIDECARS = {
    "race_info.csv": "sidecar of the FastF1 laps.csv beside it (gives event and date); loaded with that file",
}


@dataclass
class LandingCursor:
    """Per landing key: the (mtime_ns, size) last seen and its hash (None: skipped); every content hash
    already requested; and why each skipped file starts no run."""

    files: dict[str, list] = field(default_factory=dict)
    hashes: set[str] = field(default_factory=set)
    skipped: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, raw: str | None) -> LandingCursor:
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(files=data.get("files", {}), hashes=set(data.get("hashes", [])), skipped=data.get("skipped", {}))

    def dump(self) -> str:
        return json.dumps({"files": self.files, "hashes": sorted(self.hashes), "skipped": self.skipped},
                          sort_keys=True)


@dataclass(frozen=True)
class Landed:
    path: Path
    key: str
    family: str
    digest: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def candidate_files(root: Path) -> list[Path]:
    return sorted(p.absolute() for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))


def kind_of(path: Path) -> FileKind | str:
    """The file's kind (the registry's, as `lapstack load`), or why it starts no run."""
    return SIDECARS.get(path.name.lower()) or classify(path)


def scan(root: Path, cursor: LandingCursor, now: float) -> tuple[list[Landed], dict[str, str]]:
    """Settled files whose content was never requested, and the files newly skipped (key -> reason).

    Classifies (one line read) and hashes only files whose stat changed since the last tick."""
    found: list[Landed] = []
    newly_skipped: dict[str, str] = {}
    settle = LAPSTACK_LANDING_SETTLE_SECONDS.get()
    for path in candidate_files(root):
        stat = path.stat()
        if now - stat.st_mtime < settle:
            continue  # may still be copying in: the next tick sees it
        key = key_for(path)
        known = cursor.files.get(key)
        if known and known[0] == stat.st_mtime_ns and known[1] == stat.st_size:
            continue
        kind = kind_of(path)
        if isinstance(kind, str):
            cursor.files[key] = [stat.st_mtime_ns, stat.st_size, None]
            cursor.skipped[key] = newly_skipped[key] = kind
            continue
        cursor.skipped.pop(key, None)
        digest = sha256_of(path)
        cursor.files[key] = [stat.st_mtime_ns, stat.st_size, digest]
        if digest in cursor.hashes:
            continue  # same bytes as a file already requested (touched, re-copied or renamed)
        cursor.hashes.add(digest)
        found.append(Landed(path, key, kind.family, digest))
    for key in [k for k in cursor.skipped if not (root / k).exists()]:
        del cursor.skipped[key]  # removed from the landing folder
    return found, newly_skipped


def run_requests(landed: list[Landed], existing: dict[str, set[str]]) -> tuple[list[RunRequest], dict[str, list]]:
    """Per load path: one run over the range of its new partitions (added in this order, so contiguous), one
    run per file already registered (a changed file); laps first, then official files, then telemetry."""
    requests: list[RunRequest] = []
    to_add: dict[str, list[str]] = {}
    by_path: dict[str, list[Landed]] = {}
    for item in sorted(landed, key=lambda f: (ORDER[f.family], f.key)):
        by_path.setdefault(LOAD_PATHS[item.family].name, []).append(item)
    for name, items in by_path.items():
        load = next(lp for lp in LOAD_PATHS.values() if lp.name == name)
        known = existing.get(load.partitions.name, set())
        new = [f for f in items if f.key not in known]
        for item in (f for f in items if f.key in known):
            requests.append(RunRequest(run_key=f"{name}-file-{item.digest}", job_name=load.job.name,
                                       partition_key=item.key, tags={**WAREHOUSE_WRITER_TAG, SOURCE_TAG: item.digest}))
        if not new:
            continue
        to_add[load.partitions.name] = [f.key for f in new]
        if len(new) == 1:
            requests.append(RunRequest(run_key=f"{name}-file-{new[0].digest}", job_name=load.job.name,
                                       partition_key=new[0].key,
                                       tags={**WAREHOUSE_WRITER_TAG, SOURCE_TAG: new[0].digest}))
            continue
        batch = hashlib.sha256("".join(f.digest for f in new).encode()).hexdigest()
        requests.append(RunRequest(run_key=f"{name}-files-{batch}", job_name=load.job.name,
                                   tags={**WAREHOUSE_WRITER_TAG, RANGE_START: new[0].key, RANGE_END: new[-1].key,
                                         "lapstack/files": str(len(new))}))
    requests.sort(key=lambda r: [lp.job.name for lp in LOAD_PATHS.values()].index(r.job_name))
    return requests, to_add


@sensor(
    name="landing_folder_sensor",
    jobs=[lap_path_job, official_path_job, telemetry_path_job],
    minimum_interval_seconds=LANDING_TICK_SECONDS,
    default_status=DefaultSensorStatus.RUNNING,
    description="Loads each new or changed file in LAPSTACK_LANDING_DIR (default ./landing) through the path of "
                "its kind (lap, official or telemetry file) and rebuilds the models downstream; the same content "
                "is never loaded twice; sidecars and unrecognised files are skipped (reasons in the cursor).",
)
def landing_folder_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    root = LAPSTACK_LANDING_DIR.get()
    if not root.is_dir():
        return SkipReason(f"landing folder {root} does not exist (set LAPSTACK_LANDING_DIR or create it)")
    cursor = LandingCursor.parse(context.cursor)
    landed, newly_skipped = scan(root, cursor, time.time())
    for key, reason in newly_skipped.items():
        context.log.info(f"skipped {key}: {reason}")
    skipped_text = "; ".join(f"{k}: {r}" for k, r in newly_skipped.items())
    if not landed:
        message = f"no new or changed files to load in {root}"
        return SensorResult(skip_reason=SkipReason(f"{message}; skipped {skipped_text}" if skipped_text
                                                   else message), cursor=cursor.dump())
    existing = {lp.partitions.name: set(context.instance.get_dynamic_partitions(lp.partitions.name))
                for lp in LOAD_PATHS.values()}
    requests, to_add = run_requests(landed, existing)
    by_name = {lp.partitions.name: lp.partitions for lp in LOAD_PATHS.values()}
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[by_name[name].build_add_request(keys) for name, keys in to_add.items()],
        cursor=cursor.dump(),
    )
