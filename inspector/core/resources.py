"""Find the plain files in ``resources/`` (rules, thresholds, aliases, translations)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2] / "resources"


def path(name: str) -> Path:
    """Return the path of resource ``name``; raise ``FileNotFoundError`` listing the known names."""
    target = ROOT / name
    if not target.exists():
        known = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file())
        raise FileNotFoundError(f"no resource {name!r}; known resources: {', '.join(known)}")
    return target


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Parse TOML resource ``name`` (cached; treat the result as read-only)."""
    with path(name).open("rb") as fh:
        return tomllib.load(fh)
