"""Make the plugin importable and registered whether or not the package is installed.

Installed (``pip install . ./plugins/zwgk-xlsx`` from the checkout), zwgk finds it through its entry point; run from a
source checkout, the module is registered by hand for the tests.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    import zwgk_xlsx
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import zwgk_xlsx

import zwgk
from zwgk import plugins
from zwgk.exporters import Exporter


@pytest.fixture
def xlsx() -> Iterator[Exporter]:
    """The ``xlsx`` exporter, registered for the test if the entry point did not register it."""
    registered = None
    if "xlsx" not in zwgk.get_exporters():
        registered = plugins.register(zwgk_xlsx, name="xlsx")
    yield zwgk.get_exporters()["xlsx"]
    if registered is not None:
        plugins.unregister(registered)
