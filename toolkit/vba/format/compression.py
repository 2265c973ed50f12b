"""MS-OVBA 2.4.1 compression: the LZ77 variant used for VBA source and the ``dir`` stream.

``compress`` follows the structure of the spec's pseudocode (2.4.1.3.5 to 2.4.1.3.19):
4096-byte chunks, token sequences of eight tokens behind a flag byte, CopyTokens of at
least three bytes whose offset/length split depends on the position in the chunk, and a
raw chunk when the tokens would not fit in 4096 bytes.

Candidate search: the pseudocode in 2.4.1.3.19.4 scans every earlier position of the
chunk, but the spec's own worked example (3.2.2) and Excel's output for small modules
only consider positions where an earlier token began.  This module does the latter, so
it reproduces the three examples of MS-OVBA section 3.2 byte for byte (and Excel's
output for short modules).  The longest match wins; of equally long ones the nearest.
Any valid decompressor reads either form.

A raw chunk is always padded to 4096 bytes with zeros, so for incompressible input whose
last chunk is shorter than that, the decompressed data ends in padding.  VBA source text
never gets there.
"""

from __future__ import annotations

CHUNK_SIZE = 4096
"""Decompressed bytes per chunk."""

_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0b011
_BODY_LIMIT = 4096
"""Bytes available after the 2-byte chunk header (CompressedChunkStart + 4098)."""

_RAW_CHUNK_HEADER = 0x3000 | 0x0FFF
"""Header of an uncompressed chunk: flag 0, signature 0b011, size 4098 - 3."""


class CompressionError(ValueError):
    """Raised for a compressed container that does not follow MS-OVBA 2.4.1 (internal)."""


def copy_token_help(difference: int) -> tuple[int, int, int, int]:
    """Return ``(length_mask, offset_mask, bit_count, maximum_length)`` (2.4.1.3.19.1).

    ``difference`` is the number of bytes already decompressed in the current chunk.
    """
    if difference < 1:
        raise CompressionError("A CopyToken cannot be the first token of a chunk.")
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    offset_mask = ~length_mask & 0xFFFF
    return length_mask, offset_mask, bit_count, length_mask + 3


def pack_copy_token(offset: int, length: int, difference: int) -> int:
    """Pack a CopyToken (2.4.1.3.19.3)."""
    _, _, bit_count, maximum_length = copy_token_help(difference)
    if not 3 <= length <= maximum_length or not 1 <= offset <= difference:
        raise CompressionError(f"Invalid CopyToken: offset={offset}, length={length}.")
    return ((offset - 1) << (16 - bit_count)) | (length - 3)


def unpack_copy_token(token: int, difference: int) -> tuple[int, int]:
    """Unpack a CopyToken into ``(offset, length)`` (2.4.1.3.19.2)."""
    length_mask, offset_mask, bit_count, _ = copy_token_help(difference)
    length = (token & length_mask) + 3
    offset = ((token & offset_mask) >> (16 - bit_count)) + 1
    return offset, length


# --------------------------------------------------------------------------- compression


def compress(data: bytes) -> bytes:
    """Compress ``data`` into a CompressedContainer (2.4.1.3.6)."""
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    start = 0
    while start < len(data):
        end = min(start + CHUNK_SIZE, len(data))
        out += _compress_chunk(data, start, end)
        start = end
    return bytes(out)


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """Compress ``data[start:end]`` into one CompressedChunk (2.4.1.3.7)."""
    body = bytearray()
    starts: dict[bytes, list[int]] = {}
    current = start
    full = False
    while current < end and not full:
        flag_index = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if current >= end or full or len(body) >= _BODY_LIMIT:
                break
            offset, length = _match(data, starts, start, current, end)
            if offset and len(body) + 1 >= _BODY_LIMIT:
                full = True  # the CopyToken does not fit: store the chunk raw
                break
            if current + 3 <= end:
                starts.setdefault(data[current : current + 3], []).append(current)
            if offset:
                token = pack_copy_token(offset, length, current - start)
                body += token.to_bytes(2, "little")
                flags |= 1 << bit
                current += length
            else:
                body.append(data[current])
                current += 1
        body[flag_index] = flags
        if len(body) >= _BODY_LIMIT:
            full = True
    if current < end:
        raw = data[start:end].ljust(CHUNK_SIZE, b"\x00")
        return _RAW_CHUNK_HEADER.to_bytes(2, "little") + raw
    header = 0x8000 | (_CHUNK_SIGNATURE << 12) | (len(body) + 2 - 3)
    return header.to_bytes(2, "little") + bytes(body)


def _match(
    data: bytes, starts: dict[bytes, list[int]], chunk_start: int, current: int, end: int
) -> tuple[int, int]:
    """Find the CopyToken for ``current`` (2.4.1.3.19.4); ``(0, 0)`` if there is none.

    ``starts`` maps each 3-byte prefix to the positions in this chunk where a token
    began.  The longest match wins; of equally long ones the nearest.  A match may run
    past ``current`` (overlapping copy).
    """
    candidates = starts.get(data[current : current + 3]) if current + 3 <= end else None
    if not candidates:
        return 0, 0
    limit = end - current
    best_length = 0
    best_candidate = -1
    for candidate in reversed(candidates):
        probe = best_length + 1
        if data[candidate : candidate + probe] != data[current : current + probe]:
            continue
        best_length = _extend(data, candidate, current, probe, limit)
        best_candidate = candidate
        if best_length == limit:
            break
    _, _, _, maximum_length = copy_token_help(current - chunk_start)
    return current - best_candidate, min(best_length, maximum_length)


def _extend(data: bytes, a: int, b: int, known: int, limit: int) -> int:
    """Length of the common run of ``data[a:]`` and ``data[b:]`` (at most ``limit``).

    The first ``known`` bytes are already known to match.
    """
    length = known
    step = 64
    while length < limit:
        size = min(step, limit - length)
        if data[a + length : a + length + size] == data[b + length : b + length + size]:
            length += size
            step *= 2
            continue
        while data[a + length] == data[b + length]:
            length += 1
        break
    return length


# ------------------------------------------------------------------------- decompression


def decompress(container: bytes) -> bytes:
    """Decompress a CompressedContainer (2.4.1.3.1)."""
    container = bytes(container)
    if not container or container[0] != _SIGNATURE:
        raise CompressionError("A CompressedContainer must start with the byte 0x01.")
    out = bytearray()
    position = 1
    while position < len(container):
        if position + 2 > len(container):
            raise CompressionError(f"Truncated chunk header at offset {position}.")
        header = int.from_bytes(container[position : position + 2], "little")
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise CompressionError(f"Bad chunk signature at offset {position}.")
        chunk_end = min(position + size, len(container))
        position += 2
        if header & 0x8000:
            _decompress_tokens(container, position, chunk_end, out)
        else:
            if size != CHUNK_SIZE + 2:
                raise CompressionError(f"Raw chunk at offset {position - 2} is not 4098 bytes.")
            raw = container[position : position + CHUNK_SIZE]
            if len(raw) != CHUNK_SIZE:
                raise CompressionError("Truncated raw chunk.")
            out += raw
        position = chunk_end
    return bytes(out)


def _decompress_tokens(container: bytes, position: int, chunk_end: int, out: bytearray) -> None:
    """Decompress the TokenSequences of one chunk, appending to ``out`` (2.4.1.3.2)."""
    chunk_start = len(out)
    while position < chunk_end:
        flags = container[position]
        position += 1
        for bit in range(8):
            if position >= chunk_end:
                break
            if not (flags >> bit) & 1:
                out.append(container[position])
                position += 1
                continue
            if position + 2 > chunk_end:
                raise CompressionError(f"Truncated CopyToken at offset {position}.")
            token = int.from_bytes(container[position : position + 2], "little")
            position += 2
            offset, length = unpack_copy_token(token, len(out) - chunk_start)
            source = len(out) - offset
            if source < chunk_start:
                raise CompressionError(f"CopyToken points before its chunk at offset {position}.")
            if offset >= length:
                out += out[source : source + length]
            else:
                pattern = bytes(out[source:])
                out += (pattern * (length // offset + 1))[:length]
        if len(out) - chunk_start > CHUNK_SIZE:
            raise CompressionError("A chunk decompressed to more than 4096 bytes.")
