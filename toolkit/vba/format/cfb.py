"""A minimal MS-CFB (compound file) writer: version 3, 512-byte sectors.

Streams shorter than 4096 bytes live in the mini stream (64-byte mini sectors), longer
ones in regular sectors.  Each storage's children form a balanced binary search tree in
CFB order (shorter names first, then by upper-cased name); the nodes on the deepest level
are red and all others black, which is a valid red-black tree.

Layout of the file: header, FAT sectors, DIFAT sectors (only past 109 FAT sectors),
directory, mini FAT, mini stream, then the large streams.  Times and CLSIDs are zero, so
the same input always gives the same bytes.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096
DIR_ENTRY_SIZE = 128

MAXREGSECT = 0xFFFFFFFA
DIFSECT = 0xFFFFFFFC
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_HEADER_DIFAT_ENTRIES = 109
_ENTRIES_PER_SECTOR = SECTOR_SIZE // 4
_DIFAT_ENTRIES_PER_SECTOR = _ENTRIES_PER_SECTOR - 1

_TYPE_STORAGE = 1
_TYPE_STREAM = 2
_TYPE_ROOT = 5
_RED = 0
_BLACK = 1

_FORBIDDEN_NAME_CHARS = frozenset("/\\:!")


class CompoundFileError(ValueError):
    """Raised for names or paths a compound file cannot hold (internal: a build error)."""


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def sort_key(name: str) -> tuple[int, str]:
    """CFB directory order: UTF-16 length first, then the upper-cased name."""
    return len(name.encode("utf-16-le")) // 2, name.upper()


def build_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Return a compound file holding ``streams``.

    Keys are paths with ``/`` between storage names, e.g. ``"VBA/dir"``; storages are
    created as needed.
    """
    root = _tree(streams)
    nodes = _number(root)
    small = [n for n in nodes if n.kind == _TYPE_STREAM and len(n.data) < MINI_STREAM_CUTOFF]
    large = [n for n in nodes if n.kind == _TYPE_STREAM and len(n.data) >= MINI_STREAM_CUTOFF]

    mini_stream, mini_fat = _layout_mini_stream(small)
    mini_fat_bytes = _pack_sector_table(mini_fat)
    directory_sectors = _sectors(len(nodes) * DIR_ENTRY_SIZE)
    mini_fat_sectors = _sectors(len(mini_fat_bytes))
    mini_stream_sectors = _sectors(len(mini_stream))
    content = (
        directory_sectors
        + mini_fat_sectors
        + mini_stream_sectors
        + sum(_sectors(len(n.data)) for n in large)
    )
    fat_count, difat_count = _fat_size(content)

    fat: list[int] = [FATSECT] * fat_count + [DIFSECT] * difat_count
    body = bytearray()

    def allocate(data: bytes) -> int:
        count = _sectors(len(data))
        if count == 0:
            return ENDOFCHAIN
        first = len(fat)
        fat.extend(range(first + 1, first + count))
        fat.append(ENDOFCHAIN)
        body.extend(data.ljust(count * SECTOR_SIZE, b"\x00"))
        return first

    directory_start = len(fat)
    body.extend(b"\x00" * (directory_sectors * SECTOR_SIZE))  # filled in below
    fat.extend(range(directory_start + 1, directory_start + directory_sectors))
    fat.append(ENDOFCHAIN)
    mini_fat_start = allocate(mini_fat_bytes)
    root.start = allocate(mini_stream)
    root.data = mini_stream
    for node in large:
        node.start = allocate(node.data)

    directory = b"".join(_pack_entry(n) for n in nodes)
    body[: len(directory)] = directory
    unused = _pack_unused_entry()
    for offset in range(len(directory), directory_sectors * SECTOR_SIZE, DIR_ENTRY_SIZE):
        body[offset : offset + DIR_ENTRY_SIZE] = unused

    fat.extend([FREESECT] * (fat_count * _ENTRIES_PER_SECTOR - len(fat)))
    fat_bytes = _pack_sector_table(fat)
    fat_sector_ids = list(range(fat_count))
    difat_bytes = _pack_difat(fat_sector_ids, fat_count, difat_count)

    header = _pack_header(
        fat_sector_ids=fat_sector_ids,
        first_directory=directory_start,
        first_mini_fat=mini_fat_start,
        mini_fat_count=mini_fat_sectors,
        first_difat=fat_count if difat_count else ENDOFCHAIN,
        difat_count=difat_count,
    )
    return header + fat_bytes + difat_bytes + bytes(body)


def _tree(streams: Mapping[str, bytes]) -> _Node:
    root = _Node("Root Entry", _TYPE_ROOT)
    for path, data in streams.items():
        parts = path.split("/")
        for part in parts:
            _check_name(part)
        parent = root
        for part in parts[:-1]:
            node = parent.children.setdefault(part.upper(), _Node(part, _TYPE_STORAGE))
            if node.kind != _TYPE_STORAGE:
                raise CompoundFileError(f"'{part}' in '{path}' is a stream, not a storage.")
            parent = node
        if parts[-1].upper() in parent.children:
            raise CompoundFileError(f"Duplicate entry '{path}'.")
        parent.children[parts[-1].upper()] = _Node(parts[-1], _TYPE_STREAM, bytes(data))
    return root


def _check_name(name: str) -> None:
    if not name or len(name.encode("utf-16-le")) // 2 > 31:
        raise CompoundFileError(f"A compound file name must have 1-31 characters: {name!r}.")
    if _FORBIDDEN_NAME_CHARS & set(name):
        raise CompoundFileError(f"A compound file name cannot contain / \\ : or !: {name!r}.")


def _number(root: _Node) -> list[_Node]:
    """Give every node its directory id (root first) and link the sibling trees."""
    nodes = [root]
    pending = [root]
    while pending:
        parent = pending.pop(0)
        children = sorted(parent.children.values(), key=lambda n: sort_key(n.name))
        for child in children:
            child.sid = len(nodes)
            nodes.append(child)
            pending.append(child)
        parent.child = _link_balanced(children, 0, len(children), 0, _depth(len(children)))
    return nodes


def _depth(count: int) -> int:
    """Depth of the deepest node of a balanced tree with ``count`` nodes (root = 0)."""
    return max(count.bit_length() - 1, 0)


def _link_balanced(nodes: list[_Node], low: int, high: int, depth: int, deepest: int) -> int:
    if low >= high:
        return NOSTREAM
    middle = (low + high) // 2
    node = nodes[middle]
    node.left = _link_balanced(nodes, low, middle, depth + 1, deepest)
    node.right = _link_balanced(nodes, middle + 1, high, depth + 1, deepest)
    node.color = _RED if depth == deepest and depth > 0 else _BLACK
    return node.sid


def _layout_mini_stream(nodes: list[_Node]) -> tuple[bytes, list[int]]:
    stream = bytearray()
    table: list[int] = []
    for node in nodes:
        count = math.ceil(len(node.data) / MINI_SECTOR_SIZE)
        if count == 0:
            node.start = ENDOFCHAIN
            continue
        node.start = len(table)
        table.extend(range(node.start + 1, node.start + count))
        table.append(ENDOFCHAIN)
        stream.extend(node.data.ljust(count * MINI_SECTOR_SIZE, b"\x00"))
    if table:
        table.extend([FREESECT] * (-len(table) % _ENTRIES_PER_SECTOR))
    return bytes(stream), table


def _sectors(size: int) -> int:
    return math.ceil(size / SECTOR_SIZE)


def _fat_size(content_sectors: int) -> tuple[int, int]:
    """Number of FAT and DIFAT sectors needed to map ``content_sectors`` plus themselves."""
    fat = 1
    while True:
        difat = math.ceil(max(fat - _HEADER_DIFAT_ENTRIES, 0) / _DIFAT_ENTRIES_PER_SECTOR)
        if fat * _ENTRIES_PER_SECTOR >= content_sectors + fat + difat:
            return fat, difat
        fat += 1


def _pack_sector_table(table: list[int]) -> bytes:
    return struct.pack(f"<{len(table)}I", *table)


def _pack_difat(fat_sector_ids: list[int], first: int, count: int) -> bytes:
    rest = fat_sector_ids[_HEADER_DIFAT_ENTRIES:]
    out = bytearray()
    for index in range(count):
        chunk = rest[index * _DIFAT_ENTRIES_PER_SECTOR : (index + 1) * _DIFAT_ENTRIES_PER_SECTOR]
        chunk = chunk + [FREESECT] * (_DIFAT_ENTRIES_PER_SECTOR - len(chunk))
        following = first + index + 1 if index + 1 < count else ENDOFCHAIN
        out += _pack_sector_table([*chunk, following])
    return bytes(out)


def _pack_header(
    *,
    fat_sector_ids: list[int],
    first_directory: int,
    first_mini_fat: int,
    mini_fat_count: int,
    first_difat: int,
    difat_count: int,
) -> bytes:
    difat = fat_sector_ids[:_HEADER_DIFAT_ENTRIES]
    difat = difat + [FREESECT] * (_HEADER_DIFAT_ENTRIES - len(difat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE,
        b"\x00" * 16,  # CLSID
        0x003E,  # minor version
        0x0003,  # major version 3
        0xFFFE,  # byte order: little endian
        9,  # sector shift: 512 bytes
        6,  # mini sector shift: 64 bytes
        b"\x00" * 6,
        0,  # number of directory sectors: always 0 in version 3
        len(fat_sector_ids),
        first_directory,
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        first_mini_fat,
        mini_fat_count,
        first_difat,
        difat_count,
    )
    return header + _pack_sector_table(difat)


def _pack_entry(node: _Node) -> bytes:
    name = node.name.encode("utf-16-le") + b"\x00\x00"
    size = len(node.data) if node.kind in (_TYPE_STREAM, _TYPE_ROOT) else 0
    start = node.start if node.kind in (_TYPE_STREAM, _TYPE_ROOT) else 0
    if size == 0 and node.kind == _TYPE_ROOT:
        start = ENDOFCHAIN
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        node.kind,
        node.color,
        node.left,
        node.right,
        node.child,
        b"\x00" * 16,  # CLSID
        0,  # state bits
        0,  # creation time
        0,  # modified time
        start,
        size,
    )


def _pack_unused_entry() -> bytes:
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        b"",
        0,
        0,
        0,
        NOSTREAM,
        NOSTREAM,
        NOSTREAM,
        b"\x00" * 16,
        0,
        0,
        0,
        0,
        0,
    )
