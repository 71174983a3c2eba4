"""The one check of the options given to a plugin's function: a reader's ``read``, an exporter's
``write``. Each raises its own error (``ParseError``, ``ExportError``) with the message given here."""

from __future__ import annotations

from collections.abc import Collection, Iterable

__all__ = ["unknown_options"]


def unknown_options(kind: str, name: str, given: Iterable[str], known: Collection[str] | None) -> str | None:
    """The message naming the options in ``given`` that the ``kind`` (``"reader"``) ``name`` does not
    take, or ``None`` when it takes them all (``known`` is ``None`` for a function taking any)."""
    if known is None:
        return None
    unknown = sorted(k for k in given if k not in known)
    if not unknown:
        return None
    return f"{kind} {name!r} has no option {', '.join(unknown)}; its options: {', '.join(known) or 'none'}"
