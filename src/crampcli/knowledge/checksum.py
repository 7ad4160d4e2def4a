"""A cheap 64-bit checksum: keys the caches to the bytes they were made from."""

from __future__ import annotations

import zlib


def digest(data: bytes) -> str:
    """CRC-32 and Adler-32 of ``data`` as 16 hex digits (zlib is loaded anyway; hashlib is not)."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
