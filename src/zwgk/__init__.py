"""zwgk: Chinese government task-breakdown tables (任务分解表) as typed, validated data.

>>> import zwgk
>>> plan = zwgk.load_sample()
>>> len(plan.tasks)
143

The listing functions are ``get_readers()``, ``get_exporters()`` and ``get_validators()``; the
sub-packages ``zwgk.readers``, ``zwgk.exporters``, ``zwgk.validators``, ``zwgk.units`` and
``zwgk.table`` keep their own names.

``import zwgk`` loads no more than this file: every public name (and those sub-packages) is imported
from its module on first use (:data:`_LAZY` says where each lives), because the model's attrs
classes, the plugin manager (pluggy) and the ``typing`` module they bring would otherwise cost more
than the whole start-up budget (``benchmarks/bench_import.py``). ``dir(zwgk)`` lists every name.
"""

from zwgk._lazy import lazy_dir, lazy_getattr
from zwgk._version import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing is a cost ``import zwgk`` avoids
if TYPE_CHECKING:
    from zwgk import exporters as exporters
    from zwgk import readers as readers
    from zwgk import table as table
    from zwgk import units as units
    from zwgk import validators as validators
    from zwgk._api import export, load, load_sample, validate
    from zwgk._diff import ChangeKind, PlanDiff, TaskChange, diff
    from zwgk._numbering import parse_number
    from zwgk._registered import get_exporter, get_exporters, get_readers, get_validators, unit_registry
    from zwgk._serialize import dumps, loads
    from zwgk.corpus import load_many
    from zwgk.errors import (
        ExportError,
        LayoutError,
        ParseError,
        PluginError,
        Position,
        ReadWarning,
        UnitError,
        UnsupportedFormatError,
        ZwgkError,
    )
    from zwgk.hookspecs import hookimpl
    from zwgk.model import CategoryNote, Metadata, Plan, Role, Task, Unit, UnitKind, UnitRef
    from zwgk.units import UnitRegistry
    from zwgk.validators import Finding, Report, Severity

__all__ = [
    "CategoryNote",
    "ChangeKind",
    "ExportError",
    "Finding",
    "LayoutError",
    "Metadata",
    "ParseError",
    "Plan",
    "PlanDiff",
    "PluginError",
    "Position",
    "ReadWarning",
    "Report",
    "Role",
    "Severity",
    "Task",
    "TaskChange",
    "Unit",
    "UnitError",
    "UnitKind",
    "UnitRef",
    "UnitRegistry",
    "UnsupportedFormatError",
    "ZwgkError",
    "__version__",
    "diff",
    "dumps",
    "export",
    "get_exporter",
    "get_exporters",
    "get_readers",
    "get_validators",
    "hookimpl",
    "load",
    "load_many",
    "load_sample",
    "loads",
    "parse_number",
    "unit_registry",
    "validate",
]

#: Where each public name lives, imported from there on first use (a sub-package is itself).
_LAZY = {
    "export": "zwgk._api",
    "get_exporter": "zwgk._registered",
    "get_exporters": "zwgk._registered",
    "get_readers": "zwgk._registered",
    "get_validators": "zwgk._registered",
    "load": "zwgk._api",
    "load_sample": "zwgk._api",
    "unit_registry": "zwgk._registered",
    "validate": "zwgk._api",
    "ChangeKind": "zwgk._diff",
    "PlanDiff": "zwgk._diff",
    "TaskChange": "zwgk._diff",
    "diff": "zwgk._diff",
    "parse_number": "zwgk._numbering",
    "dumps": "zwgk._serialize",
    "loads": "zwgk._serialize",
    "load_many": "zwgk.corpus",
    "ExportError": "zwgk.errors",
    "LayoutError": "zwgk.errors",
    "ParseError": "zwgk.errors",
    "PluginError": "zwgk.errors",
    "Position": "zwgk.errors",
    "ReadWarning": "zwgk.errors",
    "UnitError": "zwgk.errors",
    "UnsupportedFormatError": "zwgk.errors",
    "ZwgkError": "zwgk.errors",
    "hookimpl": "zwgk.hookspecs",
    "CategoryNote": "zwgk.model",
    "Metadata": "zwgk.model",
    "Plan": "zwgk.model",
    "Role": "zwgk.model",
    "Task": "zwgk.model",
    "Unit": "zwgk.model",
    "UnitKind": "zwgk.model",
    "UnitRef": "zwgk.model",
    "UnitRegistry": "zwgk.units",
    "Finding": "zwgk.validators",
    "Report": "zwgk.validators",
    "Severity": "zwgk.validators",
    "exporters": "zwgk.exporters",
    "readers": "zwgk.readers",
    "table": "zwgk.table",
    "units": "zwgk.units",
    "validators": "zwgk.validators",
}

__getattr__ = lazy_getattr("zwgk", _LAZY, globals())
__dir__ = lazy_dir(_LAZY, globals())
