"""Large stored files encrypted at rest in segments, read back as a stream (bounded memory).

The other stored files (evidence, trade documents, photos) are one Fernet token each; a parcel
manifest may be 500 MB, which one token would hold in memory two or three times over. A segmented
file is a header line (``S307E1 <segment size>``) followed by one Fernet token per segment of the
plaintext, one per line, under ``SECTION307_ENCRYPTION_KEYS`` (``allegations.crypto``). Every full
segment has a token of the same length, so ``DecryptingReader`` can seek: Parquet readers jump to
the footer and back.

Models list such fields in ``segmented_file_fields``; ``section307 files rotate-keys`` re-encrypts
them segment by segment (``core.storedfiles.files_rotate_keys``).
"""

from __future__ import annotations

import io
import math
import os
import uuid
from pathlib import Path
from typing import IO

from section307.allegations.crypto import decrypt_bytes, fernet

MAGIC = b"S307E1"
SEGMENT = 1 << 20


def _header(segment: int) -> bytes:
    return MAGIC + b" " + str(segment).encode() + b"\n"


def token_length(plain: int) -> int:
    """Length of the Fernet token of ``plain`` bytes: version, time, IV, padded ciphertext, HMAC, base64."""
    raw = 1 + 8 + 16 + (plain // 16 + 1) * 16 + 32
    return 4 * math.ceil(raw / 3)


def encrypt_stream(src: IO[bytes], dst: IO[bytes], *, segment: int = SEGMENT) -> int:
    """Write ``src`` encrypted to ``dst``; returns the plaintext bytes written. Memory: one segment."""
    dst.write(_header(segment))
    f = fernet()
    total = 0
    while True:
        chunk = src.read(segment)
        if not chunk:
            break
        # A short read from a socket-like source: fill the segment so only the last one is short.
        while len(chunk) < segment:
            more = src.read(segment - len(chunk))
            if not more:
                break
            chunk += more
        dst.write(f.encrypt(chunk) + b"\n")
        total += len(chunk)
    return total


def write_encrypted(src: IO[bytes], *, folder: str, root: Path, segment: int = SEGMENT) -> str:
    """Store ``src`` encrypted under a random name in ``folder`` below ``root``; returns the storage name."""
    name = f"{folder.strip('/')}/{uuid.uuid4().hex}.bin"
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "xb") as fh:
            encrypt_stream(src, fh, segment=segment)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    os.chmod(target, 0o440)
    return name


def is_segmented(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC) + 1) == MAGIC + b" "


class DecryptingReader(io.RawIOBase):
    """A seekable, read-only view of the plaintext of a segmented file; one segment in memory."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._fh = open(path, "rb")  # noqa: SIM115  (closed in close())
        header = self._fh.readline()
        parts = header.split()
        if len(parts) != 2 or parts[0] != MAGIC or not parts[1].isdigit():
            self._fh.close()
            raise ValueError("not a segmented encrypted file")
        self._segment = int(parts[1])
        self._base = len(header)
        self._line = token_length(self._segment) + 1
        body = os.fstat(self._fh.fileno()).st_size - self._base
        self._full, rest = divmod(body, self._line)
        self._count = self._full + (1 if rest else 0)
        self._size = self._full * self._segment
        if rest:
            self._size += len(self._load(self._full))
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def _load(self, index: int) -> bytes:
        self._fh.seek(self._base + index * self._line)
        return decrypt_bytes(self._fh.readline().rstrip(b"\n"))

    def _segment_at(self, index: int) -> bytes:
        if self._cached is None or self._cached[0] != index:
            self._cached = (index, self._load(index))
        return self._cached[1]

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._pos >= self._size:
            return 0
        index, within = divmod(self._pos, self._segment)
        data = self._segment_at(index)
        n = min(len(buffer), len(data) - within)
        buffer[:n] = data[within : within + n]
        self._pos += n
        return n

    def close(self) -> None:
        if not self.closed:
            self._fh.close()
            self._cached = None
        super().close()


def open_decrypted(path: Path, *, buffering: int = 1 << 20) -> io.BufferedReader:
    """The plaintext of a segmented file as a buffered binary stream (``peek`` works)."""
    return io.BufferedReader(DecryptingReader(path), buffer_size=buffering)


def encrypt_plaintext_file(name: str, *, root: Path) -> str | None:
    """Data migrations: store a plaintext file encrypted under a new random name beside it and return
    that name; None when it is already encrypted or missing. The caller points the row at the new
    name and removes the old file."""
    path = root / name
    if not path.is_file() or is_segmented(path):
        return None
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    with open(path, "rb") as src:
        return write_encrypted(src, folder=folder, root=root)


def rotate_file(name: str, *, root: Path) -> str | None:
    """Re-encrypt every segment under the newest key into a new file beside it; None if missing."""
    path = root / name
    if not path.is_file():
        return None
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    new_name = f"{folder}/{uuid.uuid4().hex}.bin".lstrip("/")
    target = root / new_name
    f = fernet()
    try:
        with open(path, "rb") as src, open(target, "xb") as dst:
            header = src.readline()
            if not header.startswith(MAGIC + b" "):
                raise ValueError(f"{name} is not a segmented encrypted file")
            dst.write(header)
            for line in src:
                dst.write(f.rotate(line.rstrip(b"\n")) + b"\n")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    os.chmod(target, 0o440)
    return new_name
