"""The streams of an OLE compound file ([MS-CFB]), read with every offset and chain bounded.

Only what the .doc reader needs: the streams of the root storage, by name. A compound file is a
small FAT file system: 512- or 4096-byte sectors, a FAT of sector chains (its own sectors listed
by the DIFAT), a directory of 128-byte entries in a red-black tree per storage, and a mini stream
(64-byte sectors, chained by the mini FAT) holding the streams shorter than the cut-off.

Nothing here trusts a number in the file: a chain that loops, leaves the file or runs longer than
the stream it carries, a directory tree that loops, a stream longer than the file, a sector size
other than 512/4096: each is a :class:`CompoundFileError` saying what, never an endless loop or an
allocation larger than the file.
"""

from __future__ import annotations

import struct

__all__ = ["CompoundFile", "CompoundFileError"]

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER = 512
_DIR_ENTRY = 128
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_NO_STREAM = 0xFFFFFFFF
_MAX_REGULAR = 0xFFFFFFFA  # sector numbers above this are markers
_STREAM, _ROOT = 2, 5
_HEADER_DIFAT = 109


class CompoundFileError(Exception):
    """The compound file is not one this reader understands for sure (damaged, or out of bounds)."""


class CompoundFile:
    """The root storage's streams of a compound file held in ``data``."""

    def __init__(self, data: bytes) -> None:
        if len(data) < _HEADER or not data.startswith(_MAGIC):
            raise CompoundFileError("no OLE compound file header")
        self._data = data
        (byte_order, shift, mini_shift) = struct.unpack_from("<HHH", data, 0x1C)
        if byte_order != 0xFFFE or shift not in (9, 12) or mini_shift != 6:
            raise CompoundFileError("an OLE header with an unknown byte order or sector size")
        self._size = 1 << shift
        self._sectors = max(0, (len(data) - self._size) // self._size)  # whole sectors after the header's
        (fat_count, dir_start) = struct.unpack_from("<II", data, 0x2C)
        (self._cutoff, minifat_start, minifat_count, difat_start, difat_count) = struct.unpack_from(
            "<IIIII", data, 0x38)
        if fat_count > self._sectors or minifat_count > self._sectors or difat_count > self._sectors:
            raise CompoundFileError("the OLE header counts more sectors than the file holds")
        self._fat = self._read_fat(fat_count, difat_start, difat_count)
        directory = self._chain_bytes(dir_start, None, "the directory")
        self._entries = [directory[i:i + _DIR_ENTRY] for i in range(0, len(directory) - _DIR_ENTRY + 1, _DIR_ENTRY)]
        if not self._entries or self._entries[0][0x42] != _ROOT:
            raise CompoundFileError("the OLE directory has no root entry")
        root = self._entries[0]
        mini_start = struct.unpack_from("<I", root, 0x74)[0]
        mini_size = self._entry_size(root)
        self._mini = self._chain_bytes(mini_start, mini_size, "the mini stream") if mini_size else b""
        self._minifat: list[int] = []
        if minifat_count:
            raw = self._chain_bytes(minifat_start, minifat_count * self._size, "the mini FAT")
            self._minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw))
        self._names = self._root_streams()

    def _sector(self, n: int) -> bytes:
        if n >= self._sectors:
            raise CompoundFileError(f"sector {n} is past the end of the file")
        at = (n + 1) * self._size
        return self._data[at:at + self._size]

    def _read_fat(self, count: int, difat_start: int, difat_count: int) -> list[int]:
        difat = list(struct.unpack_from(f"<{_HEADER_DIFAT}I", self._data, 0x4C))
        n = difat_start
        per = self._size // 4 - 1
        for _ in range(difat_count):  # the DIFAT's own chain, as long as the header says
            if n > _MAX_REGULAR:
                break
            words = struct.unpack(f"<{per + 1}I", self._sector(n))
            difat.extend(words[:per])
            n = words[per]
        fat_sectors = [s for s in difat if s <= _MAX_REGULAR][:count]
        if len(fat_sectors) < count:
            raise CompoundFileError("the OLE file lists fewer FAT sectors than its header counts")
        raw = b"".join(self._sector(s) for s in fat_sectors)
        return list(struct.unpack(f"<{len(raw) // 4}I", raw))

    def _chain(self, start: int, table: list[int], limit: int, what: str) -> list[int]:
        """The sectors of the chain from ``start``: at most ``limit``, never one twice."""
        out: list[int] = []
        seen: set[int] = set()
        n = start
        while n != _END_OF_CHAIN:
            if n > _MAX_REGULAR or n >= len(table) or n in seen:
                raise CompoundFileError(f"the sector chain of {what} is broken (a loop, a free sector, "
                                        "or a sector past the end)")
            if len(out) >= limit:
                raise CompoundFileError(f"the sector chain of {what} is longer than its stream")
            seen.add(n)
            out.append(n)
            n = table[n]
        return out

    def _chain_bytes(self, start: int, size: int | None, what: str) -> bytes:
        if size is None:  # the directory: as long as its chain, which cannot exceed the file
            limit = self._sectors
        else:
            if size > len(self._data):
                raise CompoundFileError(f"{what} is said to be longer than the whole file")
            limit = -(-size // self._size)
        if start == _END_OF_CHAIN and not size:
            return b""
        data = b"".join(self._sector(s) for s in self._chain(start, self._fat, limit, what))
        if size is not None:
            if len(data) < size:
                raise CompoundFileError(f"{what} is shorter than its directory entry says")
            data = data[:size]
        return data

    def _entry_size(self, entry: bytes) -> int:
        low, high = struct.unpack_from("<II", entry, 0x78)
        if self._size == 512:
            high = 0  # version 3 files may leave garbage in the high half
        return int(low | high << 32)

    def _root_streams(self) -> dict[str, int]:
        """The streams directly in the root storage, by name: the index of their entry."""
        out: dict[str, int] = {}
        child = struct.unpack_from("<I", self._entries[0], 0x4C)[0]
        stack = [child]
        seen: set[int] = set()
        while stack:
            i = stack.pop()
            if i == _NO_STREAM:
                continue
            if i >= len(self._entries) or i in seen:
                raise CompoundFileError("the OLE directory tree is broken (a loop or an entry past the end)")
            seen.add(i)
            entry = self._entries[i]
            left, right = struct.unpack_from("<II", entry, 0x44)
            stack.extend((left, right))
            length = struct.unpack_from("<H", entry, 0x40)[0]
            if entry[0x42] == _STREAM and 2 <= length <= 64 and length % 2 == 0:
                name = entry[:length - 2].decode("utf-16-le", "replace")
                out.setdefault(name, i)
        return out

    def has(self, name: str) -> bool:
        return name in self._names

    def stream(self, name: str) -> bytes:
        """The stream ``name`` of the root storage, whole."""
        i = self._names.get(name)
        if i is None:
            raise CompoundFileError(f"the file has no {name} stream")
        entry = self._entries[i]
        start = struct.unpack_from("<I", entry, 0x74)[0]
        size = self._entry_size(entry)
        if size >= self._cutoff:
            return self._chain_bytes(start, size, f"the {name} stream")
        if size > len(self._mini):
            raise CompoundFileError(f"the {name} stream is longer than the mini stream holding it")
        blocks = self._chain(start, self._minifat, -(-size // 64), f"the {name} stream") if size else []
        data = b"".join(self._mini[b * 64:b * 64 + 64] for b in blocks)
        if len(data) < size:
            raise CompoundFileError(f"the {name} stream is shorter than its directory entry says")
        return data[:size]
