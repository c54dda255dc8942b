"""lapstack's settings: every environment variable it reads (`variables`), how their values are checked
(`kinds`), which warehouse they select (`profile`) and the opt-outs set for the tools it runs (`hygiene`).

Use a variable by its own name, read at call time: `from core.settings import LAPSTACK_LANDING_DIR`, then
`LAPSTACK_LANDING_DIR.get()`. No other module reads a lapstack variable from os.environ.
"""

from pathlib import Path

from core.settings.hygiene import NO_TRACKING_ENV, apply_network_hygiene
from core.settings.profile import DEFAULT_TARGET, PROFILE_NAME, Target, profiles_dir, resolve_target
from core.settings.variables import *  # noqa: F403 - every declared variable, by its own name
from core.settings.variables import LAPSTACK_DATA
from core.settings.variables import __all__ as _variables


def data_dir() -> Path:
    """The real data folder: LAPSTACK_DATA, else `../shared/data` beside the repo."""
    return LAPSTACK_DATA.get()


__all__ = ["DEFAULT_TARGET", "NO_TRACKING_ENV", "PROFILE_NAME", "Target", "apply_network_hygiene", "data_dir",
           "profiles_dir", "resolve_target", *_variables]
