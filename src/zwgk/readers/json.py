"""zwgk's own JSON (schema ``zwgk.plan/1``) as a reader: the file already holds a finished plan.

It is read strictly by :func:`zwgk.loads` (every refusal names its JSON path); unit names are kept
as the file says they were resolved, not looked up again.
"""

from __future__ import annotations

from pathlib import Path

from zwgk._serialize import loads
from zwgk.errors import cannot_read
from zwgk.model import Plan
from zwgk.readers._sniff import RTF_MAGIC

__all__ = ["read_json", "sniff_json"]

_LEADING = b"\xef\xbb\xbf \t\r\n"  # a UTF-8 byte-order mark and white space before the first brace


def sniff_json(head: bytes) -> bool:
    """A JSON object: ``{`` first (after a byte-order mark and white space), but not RTF's ``{\\rtf``."""
    body = head.lstrip(_LEADING)
    return body.startswith(b"{") and not body.startswith(RTF_MAGIC)


def read_json(path: str | Path) -> Plan:
    """The plan a zwgk JSON file holds (see :func:`zwgk.loads`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise cannot_read(e, path) from None
    return loads(data, source=str(path))
