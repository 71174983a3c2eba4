"""Reading legacy office files (.doc, .wps, .rtf, .xls, .et, ...) by converting them with LibreOffice.

A Word document in an OLE file is first read natively by the ``doc`` reader
(:mod:`zwgk.readers.doc`; :data:`READ_WORD_NATIVELY`); only when that reader steps aside (it raises
:class:`~zwgk.readers.doc.NotUnderstood`) does the file go to LibreOffice as below, and a refusal
then says what it did not understand.

When a ``soffice`` is found, :func:`zwgk.load` converts a file whose content is a legacy binary
Office document (an OLE compound file: .doc, .dot, .wps, .wpt, .xls, .et) or RTF, then reads the
converted file with the native reader: Writer documents become OpenDocument text (``.odt``, read
by :mod:`zwgk.readers.odt`), spreadsheets become ``.xlsx`` (read by the ``zwgk-xlsx`` plugin).
Positions and errors still name the original file.

How LibreOffice is started (one call for one file, or for a whole batch)::

    soffice --headless --norestore --nologo --nodefault --nolockcheck
            -env:UserInstallation=file:///tmp/zwgk-lo-XXXX/profile
            --convert-to odt:writer8 --outdir /tmp/zwgk-lo-XXXX/out  /tmp/zwgk-lo-XXXX/in/0.doc ...

- the ``soffice`` is the ``soffice=`` option of :func:`zwgk.load`, else the ``ZWGK_SOFFICE``
  environment variable, else ``soffice`` or ``libreoffice`` on ``PATH``;
- everything happens in a fresh temporary directory (``zwgk-lo-*`` in the system's temporary
  directory), removed afterwards whatever happens: the inputs are linked there under numbered
  names (so two inputs with the same stem never overwrite each other's output), the profile is a
  throwaway one (so a conversion runs beside a user's open LibreOffice and beside other
  conversions), and LibreOffice's own temporary files go there too (``TMPDIR``);
- the call runs in its own process group and is killed, group and all, when it takes longer than
  its time limit: :data:`CONVERT_TIMEOUT` seconds (option ``convert_timeout=``) for one file of up
  to a MiB, plus :data:`SECONDS_PER_MIB` for each further MiB of input and
  :data:`SECONDS_PER_FILE` for each further file of a batch (:func:`time_limit`), so a large file
  or a long batch is not cut short on a busy machine: a :class:`ConversionError`. (A batch call
  that fails as a whole leaves each of its files to be converted again alone, by :func:`zwgk.load`,
  before one is reported.);
- LibreOffice never outlives the process that started it: a small guard process watches that
  process and kills LibreOffice's process group (``soffice.bin`` included) as soon as it dies (a
  ``kill -9``, the out-of-memory killer, a caller's timeout);
- a converted file that is missing or empty is a :class:`ConversionError` naming the file and
  what LibreOffice printed.

Without a LibreOffice, or with ``convert=False``, such a file is refused as before, naming the
command that converts it and the package that installs LibreOffice.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import evolve, frozen

from zwgk.errors import ParseError, Position, UnsupportedFormatError, ZwgkError
from zwgk.readers import HEAD_BYTES, Reader, Source
from zwgk.readers._hints import xlsx_missing
from zwgk.readers._lifetime import SECONDS_PER_FILE, SECONDS_PER_MIB, guard, time_limit
from zwgk.readers._sniff import OLE_MAGIC, RTF_MAGIC, convert_command, is_ole, legacy_error, ole_kind

if TYPE_CHECKING:
    from zwgk.model import Plan
    from zwgk.table.document import Document

__all__ = [
    "CALC",
    "CONVERTIBLE_SUFFIXES",
    "CONVERT_TIMEOUT",
    "READ_WORD_NATIVELY",
    "SECONDS_PER_FILE",
    "SECONDS_PER_MIB",
    "SOFFICE_ENV",
    "WRITER",
    "ConversionError",
    "ConversionOptions",
    "Converted",
    "Target",
    "convert_many",
    "converted_error",
    "damaged_ole",
    "find_soffice",
    "kind_of",
    "read_converted",
    "reads_natively",
    "refusal",
    "rtf_overrun",
    "time_limit",
]

#: Seconds a LibreOffice call converting one file of up to a MiB may take before it is killed (a
#: cold start with a fresh profile takes 1 to 3 s, each further file of a batch well under 1 s).
CONVERT_TIMEOUT = 120.0
#: The environment variable naming the soffice to use.
SOFFICE_ENV = "ZWGK_SOFFICE"
#: Whether a Word document in an OLE file is read by the ``doc`` reader (:mod:`zwgk.readers.doc`)
#: before LibreOffice converts it (False: converted, as before that reader).
READ_WORD_NATIVELY = True
#: How much of LibreOffice's output an error quotes.
_STDERR_CHARS = 600
#: How far into an OLE file its stream names are looked for.
_OLE_SCAN = 4 * 1024 * 1024
_WRITER_SUFFIXES = frozenset({".doc", ".dot", ".wps", ".wpt", ".rtf", ".docm", ".dotx", ".docx"})
_CALC_SUFFIXES = frozenset({".xls", ".xlt", ".et", ".ett", ".xlsx", ".xlsm"})
_WORKBOOK_STREAM = "Workbook".encode("utf-16-le")
#: Suffixes of the files LibreOffice converts for zwgk (what ``zwgk batch`` picks up in a folder
#: besides the natively read ones); whether a file is converted is decided by its content.
CONVERTIBLE_SUFFIXES = frozenset({".doc", ".dot", ".wps", ".wpt", ".rtf", ".xls", ".xlt", ".et", ".ett"})


@frozen
class Target:
    """What LibreOffice converts one kind of document to, and the package that installs it."""

    app: str  # "Writer" or "Calc"
    suffix: str  # of the converted file
    filter: str  # LibreOffice's --convert-to argument
    package: str  # the Debian/Ubuntu package


#: Writer documents become OpenDocument text: going through .docx once lost a table that .odt kept.
WRITER = Target("Writer", ".odt", "odt:writer8", "libreoffice-writer")
CALC = Target("Calc", ".xlsx", "xlsx:Calc MS Excel 2007 XML", "libreoffice-calc")


class ConversionError(ParseError):
    """LibreOffice could not convert a file (it failed, hung past the timeout, or wrote nothing)."""


@frozen
class ConversionOptions:
    """The options of :func:`zwgk.load` that steer conversion (not passed on to readers)."""

    convert: bool = True
    soffice: str | None = None
    timeout: float = CONVERT_TIMEOUT

    @classmethod
    def pop_from(cls, options: dict[str, object]) -> ConversionOptions:
        """Take ``convert``, ``soffice`` and ``convert_timeout`` out of a dict of load options."""
        convert = options.pop("convert", True)
        soffice = options.pop("soffice", None)
        timeout = options.pop("convert_timeout", CONVERT_TIMEOUT)
        if not isinstance(convert, bool):
            raise ZwgkError(f"convert must be True or False, not {convert!r}")
        if soffice is not None and not isinstance(soffice, (str, os.PathLike)):
            raise ZwgkError(f"soffice must be a path or a command name, not {soffice!r}")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ZwgkError(f"convert_timeout must be a number of seconds above 0, not {timeout!r}")
        return cls(convert, None if soffice is None else os.fspath(soffice), float(timeout))


def reads_natively(path: Path, head: bytes) -> bool:
    """Whether the ``doc`` reader reads ``path`` (a Word document in an OLE file, named as one:
    ``.doc``/``.dot``) without LibreOffice. It reads the file to know: a few milliseconds."""
    from zwgk.readers.builtin import DOC
    from zwgk.readers.doc import read_doc

    if not READ_WORD_NATIVELY or path.suffix.lower() not in DOC.suffixes:
        return False  # chosen by content alone, an OLE file goes to read_converted, which tries it first
    try:
        read_doc(Source(path, str(path), head), keep=True)  # kept for the read that follows
    except ZwgkError:
        return False
    return True


def kind_of(path: Path, head: bytes) -> Target | None:
    """The conversion a file needs, by its content: ``None`` when zwgk reads it natively.

    OLE compound files (legacy .doc/.wps/.xls/.et) and RTF need converting, except a Word document
    the ``doc`` reader reads (:func:`reads_natively`); an encrypted Office file (an OLE file holding
    an ``EncryptedPackage``) is not converted: it is refused.
    """
    if head.lstrip().startswith(RTF_MAGIC):
        return WRITER
    if not is_ole(head):
        return None
    kind = ole_kind(path)
    if kind in ("doc", "wps"):
        return None if kind == "doc" and reads_natively(path, head) else WRITER
    if kind == "encrypted":
        return None
    try:
        with path.open("rb") as f:
            data = f.read(_OLE_SCAN)
    except OSError:
        data = b""
    suffix = path.suffix.lower()
    if _WORKBOOK_STREAM in data or suffix in _CALC_SUFFIXES:
        return CALC
    if suffix in _WRITER_SUFFIXES:
        return WRITER
    return None


def find_soffice(explicit: str | None = None) -> str | None:
    """The soffice to run: ``explicit``, else ``$ZWGK_SOFFICE``, else ``soffice``/``libreoffice`` on PATH.

    A program named explicitly (option or environment) that cannot be found is an error, never
    silently replaced by another.
    """
    named = explicit if explicit is not None else os.environ.get(SOFFICE_ENV) or None
    if named is not None:
        found = shutil.which(named)
        if found is None:
            where = "the soffice option" if explicit is not None else f"${SOFFICE_ENV}"
            raise ZwgkError(f"{where} names {named!r}, which is not an executable program")
        return found
    return shutil.which("soffice") or shutil.which("libreoffice")


def _what(path: Path, head: bytes, target: Target) -> str:
    if head.lstrip().startswith(RTF_MAGIC):
        return "an RTF document"
    if target is CALC:
        if path.suffix.lower() in (".et", ".ett"):
            return "a WPS Spreadsheets (.et) workbook"
        return "a legacy binary Excel (.xls) workbook"
    if ole_kind(path) == "wps":
        return "a WPS Writer (.wps) document"
    return "a legacy binary Word (.doc) document"


def _refusal(path: Path, target: Target, why: str) -> UnsupportedFormatError:
    """The error for a file that needs converting when zwgk will not convert it."""
    if target is WRITER:
        base = legacy_error(path)
        message = base.message
    else:
        message = (f"this is a legacy binary Excel (.xls/.et) workbook; convert it first with: "
                   f"{convert_command(path, 'xlsx')}")
    return UnsupportedFormatError(f"{message} ({why})", Position(file=str(path)))


def damaged_ole(head: bytes) -> bool:
    """An OLE header LibreOffice cannot open: no byte-order mark, or a sector size that is not 512/4096."""
    if not head.startswith(OLE_MAGIC) or len(head) < 32:
        return False
    return head[28:30] != b"\xfe\xff" or int.from_bytes(head[30:32], "little") not in (9, 12)


def _stderr(data: bytes) -> str:
    lines = [ln for ln in data.decode("utf-8", "replace").splitlines()
             if ln.strip() and "javaldx" not in ln]  # a warning LibreOffice always prints
    text = " / ".join(ln.strip() for ln in lines)
    return text[:_STDERR_CHARS] or "nothing"


@frozen
class Converted:
    """One file of a batch: the converted file, or the error that stopped it."""

    source: Path
    converted: Path | None
    error: ConversionError | None = None


def _run(soffice: str, target: Target, inputs: Sequence[Path], outdir: Path, work: Path,
         timeout: float, names: Sequence[Path]) -> bytes:
    """Run one LibreOffice call converting ``inputs`` into ``outdir``; LibreOffice's output back."""
    profile = work / "profile"
    tmp = work / "tmp"
    tmp.mkdir(exist_ok=True)
    cmd = [soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
           f"-env:UserInstallation={profile.as_uri()}", "--convert-to", target.filter,
           "--outdir", str(outdir), *map(str, inputs)]
    env = {**os.environ, "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp)}
    first = Position(file=str(names[0]))
    which = str(names[0]) if len(names) == 1 else f"{len(names)} files, the first {names[0]}"
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
    except OSError as e:
        raise ConversionError(f"cannot start LibreOffice ({soffice}): {e.strerror}", first) from None
    watcher = guard(proc.pid)
    timeout = time_limit(timeout, names)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise ConversionError(
            f"LibreOffice ({soffice}) did not finish converting {which} within {round(timeout, 1):g} s and was "
            f"stopped (raise the convert_timeout option if the file is large; LibreOffice said: {_stderr(out)})",
            first,
        ) from None
    finally:
        if proc.poll() is None:  # interrupted (KeyboardInterrupt): leave no LibreOffice behind
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if watcher is not None:
            watcher.kill()
            watcher.wait()
    return out


def _link(src: Path, dest: Path) -> None:
    try:
        dest.symlink_to(src.resolve())
    except OSError:
        shutil.copyfile(src, dest)


def refusal(path: Path, name: str | None = None) -> ConversionError | None:
    """Why ``path`` must not go to LibreOffice though it needs converting (an RTF ``\\bin`` overrun,
    :func:`rtf_overrun`), as the error naming ``name`` (default: the path); ``None`` when it may go.
    Every LibreOffice call (:func:`convert_many`, a batch's conversion window, :func:`zwgk.load`)
    checks its files here first."""
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return None  # LibreOffice, then zwgk.load, say why it cannot be read
    if (overrun := rtf_overrun(path, head)) is not None:
        return ConversionError(f"this RTF document is damaged: {overrun}; LibreOffice cannot convert it",
                               Position(file=name or str(path)))
    return None


def _convert_into(paths: Sequence[Path], target: Target, outdir: Path, soffice: str, timeout: float,
                  work: Path, names: Sequence[str] | None = None) -> list[Converted]:
    indir = work / "in"
    indir.mkdir(exist_ok=True)
    inputs, sent = [], []
    refused: dict[int, ConversionError] = {}
    for i, p in enumerate(paths):
        if (error := refusal(p, names[i] if names else None)) is not None:
            refused[i] = error  # never handed to LibreOffice, which would wait until the timeout
            continue
        link = indir / f"{i}{p.suffix.lower() or '.bin'}"
        _link(p, link)
        inputs.append(link)
        sent.append(p)
    said = _run(soffice, target, inputs, outdir, work, timeout, sent) if inputs else b""
    results = []
    for i, p in enumerate(paths):
        if i in refused:
            results.append(Converted(p, None, refused[i]))
            continue
        out = outdir / f"{i}{target.suffix}"
        if out.is_file() and out.stat().st_size > 0:
            final = outdir / f"{i}-{p.stem}{target.suffix}"
            out.replace(final)
            results.append(Converted(p, final))
        else:
            results.append(Converted(p, None, ConversionError(
                f"LibreOffice ({soffice}) could not convert this file to {target.suffix} "
                f"(LibreOffice said: {_stderr(said)})", Position(file=str(p)))))
    return results


def convert_many(
    paths: Iterable[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    *,
    target: Target = WRITER,
    soffice: str | None = None,
    timeout: float = CONVERT_TIMEOUT,
) -> list[Converted]:
    """Convert many files in one LibreOffice call, into ``outdir`` (which the caller owns).

    Each result names its source and the converted file (``outdir/N-STEM.odt``), or the
    :class:`ConversionError` that stopped that file; the others are converted all the same. A call
    that hangs past ``timeout`` raises :class:`ConversionError` for the batch. The profile and
    LibreOffice's temporary files are removed before returning.
    """
    sources = [Path(p) for p in paths]
    if not sources:
        return []
    exe = find_soffice(soffice)
    if exe is None:
        raise ZwgkError(f"LibreOffice is not installed (no soffice on PATH and no ${SOFFICE_ENV}); "
                        f"install the {target.package} package")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="zwgk-lo-"))
    try:
        return _convert_into(sources, target, out, exe, timeout, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _renamed_error(e: ZwgkError, name: str, converted: Path, what: str) -> ZwgkError:
    pos = e.position or Position()
    message = e.message.replace(str(converted), name)
    note = f" (read from the {converted.suffix} LibreOffice converted {what} to)"
    if "no table found" in message:
        note += ("; if the document shows a table, LibreOffice did not read it (it cannot read back some "
                 "tables, even ones it wrote itself): save it as .docx from Word or WPS and read that")
    new = type(e)(message + note, Position(name, pos.table, pos.row, pos.column, pos.line, sheet=pos.sheet))
    return new


def converted_error(e: ZwgkError, source: Source, target: Target) -> ZwgkError:
    """``e``, which the core raised about the document LibreOffice converted ``source`` to, with a
    note saying so (and, for a document with no table found, why LibreOffice may have lost it)."""
    return _renamed_error(e, source.name, Path(source.name).with_suffix(target.suffix),
                          _what(source.path, source.head, target))


_RTF_BIN = re.compile(rb"\\bin(-?\d{1,12}) ?")


def rtf_overrun(path: Path, head: bytes) -> str | None:
    """Why an RTF file must not go to LibreOffice: a ``\\binN`` control word announcing more bytes of
    binary data than the file holds (LibreOffice then waits for them until the conversion times out).
    ``None`` for any other file."""
    if not head.lstrip().startswith(RTF_MAGIC):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    at = 0
    while (m := _RTF_BIN.search(data, at)) is not None:
        n = int(m.group(1))
        if n < 0 or m.end() + n > len(data):
            return (f"its \\bin control word at byte {m.start():,} announces {n:,} bytes of binary data, "
                    f"but only {len(data) - m.end():,} follow")
        at = m.end() + n  # the binary data is skipped, not searched
    return None


def _takes(reader: Reader, options: Mapping[str, object]) -> bool:
    """Whether ``reader`` takes every option given (options for the converted file's reader, such
    as ``limits=``, send the file to LibreOffice)."""
    own = reader.options()
    return own is None or all(k in own for k in options)


def read_converted(source: Source, target: Target, conversion: ConversionOptions,
                   readers: Mapping[str, Reader], options: Mapping[str, object]) -> Document | Plan:
    """Read ``source``, a legacy Office document or RTF: a Word document in an OLE file natively
    (the ``doc`` reader, :mod:`zwgk.readers.doc`) when that reader understands it, else converted
    with LibreOffice and read with the odt or xlsx reader (its own ``options``); the document and
    errors name the original file.

    Refuses (:class:`~zwgk.errors.UnsupportedFormatError` with the command to convert by hand, and
    what the native reader did not understand) when the file must be converted and
    ``conversion.convert`` is false or no LibreOffice is found.
    """
    from zwgk.readers.builtin import DOC
    from zwgk.readers.doc import NotUnderstood

    path, head, name = source.path, source.head, source.name
    stepped_aside = ""
    native = readers.get(DOC.name) if READ_WORD_NATIVELY else None
    if target is WRITER and is_ole(head) and native is not None and _takes(native, options):
        try:
            return native.document(source, options)
        except NotUnderstood as e:
            stepped_aside = f"; {e.message}"
        except UnsupportedFormatError:
            pass  # no Word document inside (the reader's refusal): converted, or refused, as any OLE file
    if not conversion.convert:
        raise _refusal(path, target, f"reading with convert=False, so zwgk does not convert it itself{stepped_aside}")
    exe = find_soffice(conversion.soffice)
    if exe is None:
        raise _refusal(path, target, f"or install LibreOffice (the {target.package} package) and zwgk "
                                     f"converts it when reading{stepped_aside}")
    what = _what(path, head, target)
    if target is CALC and "xlsx" not in readers:
        raise xlsx_missing(path, what)
    if damaged_ole(head):
        raise UnsupportedFormatError(
            f"this is {what} whose OLE header is damaged, so LibreOffice cannot convert it; open it in "
            f"the program that wrote it and save it again, or try by hand: {convert_command(path)}",
            Position(file=name))
    work = Path(tempfile.mkdtemp(prefix="zwgk-lo-"))
    try:
        outdir = work / "out"
        outdir.mkdir()
        (done,) = _convert_into([path], target, outdir, exe, conversion.timeout, work, [name])
        if done.error is not None or done.converted is None:
            raise done.error or ConversionError("LibreOffice wrote nothing", Position(file=name))
        reader = readers["odt" if target is WRITER else "xlsx"]
        reader.check_options(options, name)
        try:
            # Positions name the original; paragraphs are collected before the converted copy goes.
            read = reader.document(Source.open(done.converted, name), options)
            from zwgk.table.document import Document  # what readers build: not needed to tell formats apart

            if isinstance(read, Document) and callable(read.paragraphs):
                read = evolve(read, paragraphs=read.body())
            return read
        except ZwgkError as e:
            raise _renamed_error(e, name, done.converted, what) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
