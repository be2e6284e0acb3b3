"""Shared fixtures of the cocotb bridge's tests: paths and one build directory per design and
simulator for the whole session (cocotb's runner rebuilds only when a source is newer)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """build_dir("add2-icarus") -> one directory per key for the session."""
    root = tmp_path_factory.mktemp("cocotb-builds")

    def get(key: str) -> Path:
        d = root / key
        d.mkdir(exist_ok=True)
        return d

    return get
