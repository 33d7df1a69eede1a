"""Replaces a file so that a crash at any moment leaves the old content or the new, never a mix:
temporary file in the same directory, fsync, atomic rename, fsync of the directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TEMP_MARK = ".tmp-"


def write_atomically(target: Path, data: bytes, owner_only: bool = False) -> None:
    directory = target.absolute().parent
    temp = directory / f".{target.name}{TEMP_MARK}{secrets.token_hex(8)}"
    try:
        # Owner-only files get their mode at creation: there is no moment others could read them.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if owner_only else 0o644)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    finally:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
    force_directory(directory)


def force_directory(directory: Path) -> None:
    """Makes a rename durable; where a directory cannot be opened, the journal is all there is."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def delete_temporary_files(directory: Path) -> None:
    """Removes temporary files a crash left behind; they never hold anything still needed."""
    for f in directory.glob(f"*{TEMP_MARK}*"):
        try:
            f.unlink()
        except FileNotFoundError:
            pass
