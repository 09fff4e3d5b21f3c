"""The pg_dump and pg_restore of a PostgreSQL server's own major version, found and run.

A dump is read by a pg_restore at least as new as the pg_dump that wrote it, and pg_dump
refuses a server newer than itself; the tools of the server's own major version are the ones
that always fit (docs/operations.md). For the embedded server they are the ones it runs from;
for a server of one's own, the local ones of that major version, where the packagers put
them, or a directory named on the command line.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


class PgToolError(Exception):
    """A tool could not run, or failed; the message is its own last words."""


@dataclass(frozen=True)
class PgTools:
    bin_dir: Path
    major: int

    async def run(self, tool: str, *args: str, url: str | None = None) -> str:
        """Runs `tool` with `args` (and the database at `url` as --dbname, its password in the
        environment, never on the command line); its standard output."""
        env = dict(os.environ)
        command = [str(self.bin_dir / tool), *args]
        if url is not None:
            target, password = libpq_target(url)
            if password is not None:
                env["PGPASSWORD"] = password
            command.append(f"--dbname={target}")
        process = await asyncio.create_subprocess_exec(
            *command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            lines = err.decode(errors="replace").strip().splitlines()
            raise PgToolError("; ".join(lines[-3:]) or f"{tool} exited {process.returncode}")
        return out.decode(errors="replace")


def search_dirs(major: int) -> list[Path]:
    """Where a server's own tools are looked for, in order: PATH, then the packagers'
    directories for the major version (Debian and Ubuntu, RHEL's PGDG, Homebrew), then the
    binaries bundled with the embedded server's wheel."""
    dirs: list[Path] = []
    on_path = shutil.which("pg_dump")
    if on_path is not None:
        dirs.append(Path(on_path).parent)
    dirs += [
        Path(f"/usr/lib/postgresql/{major}/bin"),
        Path(f"/usr/pgsql-{major}/bin"),
        Path(f"/opt/homebrew/opt/postgresql@{major}/bin"),
        Path(f"/usr/local/opt/postgresql@{major}/bin"),
    ]
    from service.db.embedded import bundled_bin_dir

    bundled = bundled_bin_dir(major)
    if bundled is not None:
        dirs.append(bundled)
    return dirs


def find_tools(major: int, dirs: Sequence[Path]) -> PgTools | None:
    """The first directory whose pg_dump and pg_restore are both of version `major`."""
    for directory in dirs:
        if all(tool_major(directory / tool) == major for tool in ("pg_dump", "pg_restore")):
            return PgTools(directory, major)
    return None


def tool_major(executable: Path) -> int | None:
    """The major version `executable --version` reports; None when it is not there or not a
    PostgreSQL tool."""
    if not executable.is_file():
        return None
    try:
        done = subprocess.run(  # noqa: S603  # a file of a PostgreSQL directory, no shell
            [str(executable), "--version"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(done.stdout)
    return int(match.group(1)) if done.returncode == 0 and match else None


def libpq_target(url: str) -> tuple[str, str | None]:
    """The URL without its password (which a command line would show to every user of the
    machine), and the password, for PGPASSWORD. A password given as a query parameter
    moves too."""
    parts = urlsplit(url)
    password = parts.password
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if k != "password"]
    for key, value in query:
        if key == "password":
            password = value
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(kept))), password or None
