"""Landing-folder sensor: each new or changed lap file becomes one load run, keyed by its content hash."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from core.settings import LAPSTACK_LANDING_DIR, LAPSTACK_LANDING_SETTLE_SECONDS
from loaders.laps.load import LAP_SUFFIXES
from orchestration.jobs import lap_path_job
from orchestration.laps.keys import lap_file_partitions
from orchestration.settings import WAREHOUSE_WRITER_TAG


@dataclass
class LandingCursor:
    """Per path: the (mtime_ns, size) last hashed and its hash; plus every content hash already requested."""

    files: dict[str, list] = field(default_factory=dict)
    hashes: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, raw: str | None) -> LandingCursor:
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(files=data.get("files", {}), hashes=set(data.get("hashes", [])))

    def dump(self) -> str:
        return json.dumps({"files": self.files, "hashes": sorted(self.hashes)}, sort_keys=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def candidate_files(root: Path) -> list[Path]:
    return sorted(p.resolve() for p in root.rglob("*") if p.is_file() and p.suffix.lower() in LAP_SUFFIXES)


def settle_seconds() -> float:
    """A file modified in the last few seconds may still be being copied in: wait for the next tick."""
    return LAPSTACK_LANDING_SETTLE_SECONDS.get()


def scan(root: Path, cursor: LandingCursor, now: float) -> list[tuple[Path, str]]:
    """Settled files whose content was never requested; hashes only files whose stat changed."""
    found: list[tuple[Path, str]] = []
    settle = settle_seconds()
    for path in candidate_files(root):
        stat = path.stat()
        if now - stat.st_mtime < settle:
            continue
        key = str(path)
        known = cursor.files.get(key)
        if known and known[0] == stat.st_mtime_ns and known[1] == stat.st_size:
            continue
        digest = sha256_of(path)
        cursor.files[key] = [stat.st_mtime_ns, stat.st_size, digest]
        if digest in cursor.hashes:
            continue  # same bytes as a file already loaded (touched, re-copied or renamed)
        cursor.hashes.add(digest)
        found.append((path, digest))
    return found


@sensor(
    name="landing_folder_sensor",
    job=lap_path_job,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Loads each new or changed lap file in LAPSTACK_LANDING_DIR (default ./landing) and rebuilds "
                "the session marts; the same content is never loaded twice.",
)
def landing_folder_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    root = LAPSTACK_LANDING_DIR.get()
    if not root.is_dir():
        return SkipReason(f"landing folder {root} does not exist (set LAPSTACK_LANDING_DIR or create it)")
    cursor = LandingCursor.parse(context.cursor)
    new_files = scan(root, cursor, time.time())
    if not new_files:
        return SensorResult(skip_reason=SkipReason(f"no new or changed lap files in {root}"), cursor=cursor.dump())
    keys = [str(path) for path, _ in new_files]
    existing = set(context.instance.get_dynamic_partitions(lap_file_partitions.name))
    requests = [RunRequest(run_key=f"lap-file-{digest}", partition_key=str(path),
                           tags={**WAREHOUSE_WRITER_TAG, "lapstack/source_sha256": digest})
                for path, digest in new_files]
    to_add = [k for k in keys if k not in existing]
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[lap_file_partitions.build_add_request(to_add)] if to_add else [],
        cursor=cursor.dump(),
    )
