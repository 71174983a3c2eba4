"""zwgk: Chinese government task-breakdown tables (任务分解表) as typed, validated data.

>>> import zwgk
>>> plan = zwgk.load_sample()
>>> len(plan.tasks)
143

The listing functions are ``get_readers()``, ``get_exporters()`` and ``get_validators()``; the
sub-packages ``zwgk.readers``, ``zwgk.exporters`` and ``zwgk.validators`` keep their own names.
The validation report types (``Report``, ``Finding``, ``Severity``) are imported on first use, so
that ``import zwgk`` stays fast.
"""

from typing import TYPE_CHECKING

from zwgk._api import (
    export,
    get_exporter,
    get_exporters,
    get_readers,
    get_validators,
    load,
    load_sample,
    unit_registry,
    validate,
)
from zwgk._diff import ChangeKind, PlanDiff, TaskChange, diff
from zwgk._lazy import lazy_getattr
from zwgk._numbering import parse_number
from zwgk._serialize import dumps, loads
from zwgk._version import __version__
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
from zwgk.model import Metadata, Plan, Role, Task, Unit, UnitKind, UnitRef

if TYPE_CHECKING:
    from zwgk.corpus import load_many
    from zwgk.units import UnitRegistry
    from zwgk.validators import Finding, Report, Severity


__all__ = [
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

#: Public names imported from their modules on first use, so that ``import zwgk`` stays quick.
_LAZY = {
    "Finding": "zwgk.validators",
    "Report": "zwgk.validators",
    "Severity": "zwgk.validators",
    "UnitRegistry": "zwgk.units",
    "load_many": "zwgk.corpus",
}


__getattr__ = lazy_getattr("zwgk", _LAZY, globals())
