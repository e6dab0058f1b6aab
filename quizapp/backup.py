"""Online backups while the service runs: ``flask --app wsgi backup --to FILE``.

SQLite: the sqlite3 online backup API copies the database page by page into FILE, a complete
SQLite database consistent as of one moment; writers are not stopped (each step takes the read
lock briefly), and the copy is checked with ``PRAGMA integrity_check``. Restore by stopping the
service and putting the file in place of the database file (docs/deploy.md).

PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot, taken in one transaction while
the service writes); restore with ``pg_restore --clean --if-exists --dbname=...``.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def backup(database_url: str, target: Path) -> str:
    """Write a backup of the database at ``database_url`` to ``target``; a one-line report."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite(url.database, target)
    if url.get_backend_name() == "postgresql":
        return _postgres(url, target)
    raise BackupError(f"no backup method for {url.get_backend_name()}")


def _sqlite(path: str | None, target: Path) -> str:
    if not path or path == ":memory:" or not Path(path).is_file():
        raise BackupError(f"no SQLite database file at {path!r}")
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=256)  # in steps, so writers get the lock in between
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
    finally:
        source.close()
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {verdict}")
    partial.replace(target)  # a finished file appears at once, never a half-written one
    return f"SQLite backup of {path} -> {target} ({target.stat().st_size} bytes, integrity ok)"


def _postgres(url, target: Path) -> str:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    partial = target.with_name(target.name + ".partial")
    done = subprocess.run([pg_dump, "--format=custom", f"--file={partial}", plain],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    partial.replace(target)
    return f"PostgreSQL backup of {url.database} -> {target} ({target.stat().st_size} bytes, pg_dump custom format)"
