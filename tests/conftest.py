"""Shared fixtures and the hypothesis profiles of the test suite.

Profiles (``python -m pytest --hypothesis-profile=NAME``, see docs/testing.md):

- ``default``: the everyday run, a tenth of each property's budget, so the whole default suite stays fast,
  drawn the same every run (derandomized);
- ``deep``: each property's full budget (the number written beside it with :func:`examples`), before a release
  or after touching a reader, the layout or an exporter;
- ``soak``: ten times the full budget, for a long run on a spare machine.

``deep`` and ``soak`` draw new examples on each run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import zwgk
from zwgk.model import Plan

#: ``max_examples`` of each profile; :func:`tests.strategies.examples` scales a property's budget by it / 100.
PROFILE_EXAMPLES = {"default": 10, "deep": 100, "soak": 1000}
for _name, _n in PROFILE_EXAMPLES.items():
    # the everyday run draws the same examples every time (a run passes or fails by the code, not by
    # luck, and with no example database); deep and soak explore new ones each run and keep what failed
    # in .hypothesis/
    settings.register_profile(_name, max_examples=_n, deadline=None, derandomize=_name == "default",
                              suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")  # --hypothesis-profile=NAME chooses another one after this file is read



@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Run on every core (``-n auto``) when pytest-xdist is installed and no ``-n`` was given.

    A hook rather than ``addopts``, so that a venv without pytest-xdist still runs the tests (in one
    process) instead of refusing ``-n``.
    """
    if (config.pluginmanager.hasplugin("xdist") and not hasattr(config, "workerinput")
            and getattr(config.option, "numprocesses", 0) is None and not config.option.collectonly):
        config.option.numprocesses = "auto"


SAMPLE_PATH = Path(zwgk.__file__).parent / "data" / "taian-2020-zwgk-tasks.txt"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE_PATH


@pytest.fixture(scope="session")
def sample() -> Plan:
    return zwgk.load_sample()
