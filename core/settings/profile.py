"""Resolve where lapstack writes: the same `profiles.yml` dbt uses, so loaders and models never diverge."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from core.settings.variables import DBT_PROFILES_DIR, LAPSTACK_TARGET, PROJECT_ROOT, VARIABLES

PROFILE_NAME = "lapstack"
DEFAULT_TARGET = "duckdb"


def profiles_dir() -> Path:
    return DBT_PROFILES_DIR.get()


def _render(value: Any, env: jinja2.Environment) -> Any:
    if isinstance(value, dict):
        return {k: _render(v, env) for k, v in value.items()}
    if isinstance(value, str) and "{{" in value:
        return env.from_string(value).render()
    return value


def _jinja_env() -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)

    def env_var(name: str, default: str | None = None) -> str:
        """dbt's env_var(); a variable lapstack declares is validated first, so a bad value is named."""
        if name in VARIABLES:
            VARIABLES[name].get()
        if name in os.environ:
            return os.environ[name]
        if default is None:
            raise KeyError(f"environment variable {name} is required by profiles.yml")
        return default

    env.globals["env_var"] = env_var
    env.filters["as_number"] = lambda v: v
    return env


@dataclass(frozen=True)
class Target:
    """One output of the lapstack profile, with env vars already resolved."""

    name: str
    config: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.config["type"])

    def redacted(self) -> dict[str, Any]:
        """What may be printed: never a password or token."""
        return {k: ("***" if "password" in k or "token" in k or "secret" in k else v)
                for k, v in self.config.items()}


def resolve_target(name: str | None = None) -> Target:
    """Pick `--target`, else LAPSTACK_TARGET, else the profile's default (duckdb)."""
    raw = yaml.safe_load((profiles_dir() / "profiles.yml").read_text())[PROFILE_NAME]
    env = _jinja_env()
    from_env = LAPSTACK_TARGET.get()
    chosen = name or from_env or _render(raw.get("target"), env) or DEFAULT_TARGET
    outputs = raw["outputs"]
    if chosen not in outputs:
        if not name and from_env:
            raise LAPSTACK_TARGET.invalid(f"a target of profiles.yml ({', '.join(sorted(outputs))})")
        raise SystemExit(f"lapstack: unknown target {chosen!r}; profiles.yml defines {sorted(outputs)}")
    config = _render(outputs[chosen], env)
    if config["type"] == "duckdb":
        path = Path(config["path"]).expanduser()
        config["path"] = str(path if path.is_absolute() else PROJECT_ROOT / path)
    return Target(chosen, config)
