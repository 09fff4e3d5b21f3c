"""Fixtures shared by every test: a real PostgreSQL database per test, the app and a client."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp.test_utils import TestClient

from service.app import create_app
from service.settings import Settings
from tests.pg import Databases, server_url

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"

ADMIN = "vb_demo_admin_public_not_secret"
CLERK = "vb_demo_clerk_sgddt_hn_public"  # clerk of SGDDT-HN (provincial department)
AUDITOR = "vb_demo_auditor_bgddt_public"  # auditor at BGDDT (the ministry, root)


@pytest.fixture(scope="session")
def databases() -> Iterator[Databases]:
    dbs = Databases(server_url())
    asyncio.run(dbs.create_template())
    yield dbs
    dbs.finish()
    asyncio.run(dbs.drop_template())


@pytest.fixture
async def db_url(databases: Databases) -> AsyncIterator[str]:
    url = await databases.create()
    yield url
    databases.drop_later(url)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the test's database, for arranging and checking."""
    conn = await asyncpg.connect(db_url)
    yield conn
    await conn.close()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Demo keys are found (the template holds the demo issuers' public keys); new keys go
    to a directory of the test's own."""
    return dataclasses.replace(
        Settings(),
        database_url=db_url,
        max_body_bytes=2 * 1024 * 1024,
        max_batch_rows=1000,
        db_pool_size=12,
        job_workers=0,  # no job worker in the app: a test runs one when it means to
        demo=True,
        keys_dir=tmp_path / "keys",
        trust_refresh_seconds=0,  # tests change keys and read the list right after
    )


@pytest.fixture
async def client(settings: Settings, aiohttp_client: Any) -> TestClient[Any, Any]:
    # settings first: the database then outlives the app, whose pool closes at teardown.
    app = create_app(settings)
    result: TestClient[Any, Any] = await aiohttp_client(app)
    return result


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One SoftHSM2 token for the run: SoftHSM reads SOFTHSM2_CONF once per process, when its
    module is first loaded, so every test of the run shares this token (tests/signing_tools.py)."""
    import os

    from tests.signing_tools import softhsm_token

    hsm = softhsm_token(tmp_path_factory.mktemp("softhsm"))
    before = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(hsm.conf)
    yield hsm
    if before is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = before
