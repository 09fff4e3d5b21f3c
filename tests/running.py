"""A real `vanbang serve` process on a free local port, for tests and benchmarks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Running:
    base: str
    process: asyncio.subprocess.Process
    stderr: bytes = b""  # filled in when the process has stopped


@contextlib.asynccontextmanager
async def running_service(
    db_url: str, *, port: int | None = None, **env: str
) -> AsyncIterator[Running]:
    """Starts the service on `db_url`, waits until /healthz answers, stops it on exit.

    stdout is a pipe the caller may read (the banner); stderr is collected into `stderr`
    once the process has stopped.
    """
    port = port or free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "service",
        "serve",
        "--port",
        str(port),
        env={**os.environ, "DATABASE_URL": db_url, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    running = Running(f"http://127.0.0.1:{port}", process)
    assert process.stderr is not None
    # Drained all along, so that a chatty server never blocks on a full pipe.
    stderr = asyncio.create_task(process.stderr.read())
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(600):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with session.get(f"{running.base}/healthz") as response:
                        if response.status == 200:
                            break
                if process.returncode is not None:
                    raise RuntimeError("vanbang serve exited before it was healthy")
                await asyncio.sleep(0.05)
        yield running
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), 30)
        running.stderr = await stderr


async def run_module(module: str, *args: str, **env: str) -> tuple[int, str, str]:
    """Runs `python -m module args` from the checkout; returns (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def run_vanbang(db_url: str, *args: str, **env: str) -> tuple[int, str, str]:
    """Runs one `vanbang` command against `db_url`.

    The test databases hold the demo issuers, so the demo keys sign for them.
    """
    defaults = {"DATABASE_URL": db_url, "VANBANG_LOG_LEVEL": "warning", "VANBANG_DEMO": "1"}
    return await run_module("service", *args, **{**defaults, **env})
