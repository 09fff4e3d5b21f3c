"""`vanbang serve` and `vanbang migrate`, and the embedded database they may start."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import multiprocessing
import sys
from typing import Any

import asyncpg

from service import __version__, metrics
from service.db.migrate import migrate
from service.resources import demo_dir
from service.settings import Settings, SettingsError


def resolve_database(settings: Settings) -> Settings:
    """Starts or joins the embedded server when DATABASE_URL is not set."""
    if settings.database_url is not None:
        return settings
    from service.db.embedded import start_embedded

    return dataclasses.replace(settings, database_url=start_embedded(settings.data_dir))


def serve(settings: Settings, args: argparse.Namespace) -> int:
    if args.workers is not None and not 1 <= args.workers <= 64:
        raise SettingsError("--workers must be between 1 and 64")

    embedded = settings.embedded_database
    settings = resolve_database(settings)
    settings = dataclasses.replace(
        settings,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
    )
    # Several processes count into one directory, named before anything is counted.
    counts = metrics.prepare_processes() if settings.workers > 1 else None
    try:
        return _serve(settings, embedded=embedded)
    finally:
        metrics.forget_processes(counts)


def _serve(settings: Settings, *, embedded: bool) -> int:
    from service.keyfiles import unsafe_files

    # The public demo keys are published on purpose (production refuses them below).
    public = demo_dir().resolve()
    own = [
        d
        for d in (settings.keys_dir, settings.doc_signing_dir)
        if not d.resolve().is_relative_to(public)
    ]
    unsafe = unsafe_files(*own)
    if unsafe:
        raise SettingsError("; ".join(unsafe))
    tokens = asyncio.run(_prepare(settings, sample_register=embedded))
    base = f"http://{settings.host}:{settings.port}"
    print(f"vanbang {__version__} serving on {base}")
    print(f"  health:    {base}/healthz")
    print(f"  register:  POST {base}/api/v1/graduation-decisions")
    print(f"  trust:     {base}/.well-known/vanbang/trust-list")
    where = f"embedded PostgreSQL in {settings.data_dir}" if embedded else "DATABASE_URL"
    print(f"  database:  {where}")
    print(f"  workers:   {settings.workers}")
    for token in tokens:
        scope = f" of {token['issuer']}" if token.get("issuer") else ""
        print(f"  demo {token['role']} token{scope}: {token['token']}")
    if tokens:
        from service.demo import demo_data

        print(f"  staff sign-in: {base}/dang-nhap")
        for account in demo_data()["accounts"]:
            print(
                f"  demo {account['role']} of {account['issuer']}: "
                f"{account['username']} / {account['password']}"
            )
    sys.stdout.flush()
    if settings.workers == 1:
        _run(settings, reuse_port=False)
        return 0
    # The database is migrated and the demo loaded: now fork the other workers. Each builds
    # its own app (pools, event loop) after the fork, and the kernel spreads connections.
    context = multiprocessing.get_context("fork")
    children = [
        context.Process(target=_run, args=(settings,), kwargs={"reuse_port": True}, daemon=True)
        for _ in range(settings.workers - 1)
    ]
    for child in children:
        child.start()
    try:
        _run(settings, reuse_port=True)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.join(10)
    return 0


def _run(settings: Settings, *, reuse_port: bool) -> None:
    from aiohttp import web

    from service.app import create_app

    app = create_app(settings)
    app.on_startup.append(_freeze_heap)
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=None,
        access_log=None,
        reuse_port=reuse_port or None,
        loop=_event_loop(),
    )


def _event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (not on Windows), else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def _freeze_heap(app: Any) -> None:
    """Runs last at start-up: what the process has built so far (modules, app, pools) lives
    as long as it does, so the collector stops scanning it. A full collection of that heap
    took 67 ms, a pause every request waiting at that moment would pay."""
    gc.collect()
    gc.freeze()


async def _prepare(settings: Settings, *, sample_register: bool) -> list[dict[str, Any]]:
    assert settings.database_url is not None
    conn = await asyncpg.connect(settings.database_url)
    try:
        await migrate(conn)
        if settings.env == "production":
            from service.db.keys import active_kids
            from service.signing import keystore_for

            keystore_for(settings).refuse_demo_keys(demo_dir(), await active_kids(conn))
            from service.db.certificates import published_certificates
            from service.docsign.registry import DocSigningConfig, refuse_demo_certificates

            refuse_demo_certificates(
                DocSigningConfig.from_settings(settings, None),
                demo_dir(),
                await published_certificates(conn),
            )
            from service.demo import refuse_demo_accounts

            await refuse_demo_accounts(conn)
        if settings.demo:
            from service.cli.common import command_pool
            from service.demo import load_demo, load_demo_custody
            from service.signing import Signing, keystore_for

            tokens = await load_demo(conn)
            if sample_register:
                # The embedded database of a fresh machine (./scripts/serve) also gets the
                # demo register's diplomas and the transfer of its custody (docs/custody.md);
                # a database of one's own gets the issuers, keys and accounts only.
                async with command_pool(settings, size=2) as pool:
                    await load_demo_custody(pool, Signing(keystore_for(settings)))
            return tokens
        return []
    finally:
        await conn.close()
