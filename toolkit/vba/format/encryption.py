"""MS-OVBA 2.4.3 data encryption, used for the CMG, DPB and GC lines of ``PROJECT``.

It is an obfuscation, not security: a seed byte, the version (2), a key derived from the
project id, some ignored bytes, the data length and the data, each byte XORed with a
running value.  The output is written as upper-case hex.
"""

from __future__ import annotations

_VERSION = 2


class EncryptionError(ValueError):
    """Raised for encrypted data that does not decrypt consistently (internal)."""


def project_key(project_id: str) -> int:
    """Sum of the bytes of the ``ID=`` value (braces included), modulo 256."""
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """Encrypt ``data`` for the project ``project_id`` (2.4.3.2) as hex text."""
    if not 0 <= seed <= 0xFF:
        raise ValueError("The seed is one byte.")
    key = project_key(project_id)
    version_enc = seed ^ _VERSION
    key_enc = seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    unencrypted_1 = key
    encrypted_1 = key_enc
    encrypted_2 = version_enc
    ignored_length = (seed & 6) // 2
    plain = bytes(ignored_length) + len(data).to_bytes(4, "little") + bytes(data)
    for byte in plain:
        byte_enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    return out.hex().upper()


def decrypt(text: str, project_id: str | None = None) -> bytes:
    """Decrypt hex text written by :func:`encrypt` (2.4.3.3)."""
    raw = bytes.fromhex(text)
    if len(raw) < 7:
        raise EncryptionError("Encrypted data is too short.")
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != _VERSION:
        raise EncryptionError("Encrypted data has the wrong version.")
    key = seed ^ key_enc
    if project_id is not None and key != project_key(project_id):
        raise EncryptionError("Encrypted data was made for another project id.")
    unencrypted_1 = key
    encrypted_1 = key_enc
    encrypted_2 = version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    ignored_length = (seed & 6) // 2
    length = int.from_bytes(plain[ignored_length : ignored_length + 4], "little")
    data = bytes(plain[ignored_length + 4 :])
    if len(data) != length:
        raise EncryptionError(f"Encrypted data holds {len(data)} bytes, its length says {length}.")
    return data
