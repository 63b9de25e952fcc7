"""Durable file replacement, and clearing what a killed process left: what builds, imports and the action log rely
on to survive a crash."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def fsync(path: Path) -> None:
    """Flush a file, or a folder's entries (so a rename into it survives a power cut), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_if_abandoned(path: Path, pid: str) -> None:
    """Remove `path` (a file, or a folder and all in it) that process `pid` wrote, when that process is gone: it
    was killed before it could clean up. Left alone while the process runs, or when the name holds no pid."""
    if not pid.isdigit() or _process_alive(int(pid)):
        return
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
