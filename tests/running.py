"""A real `vanbang serve` process on a free local port, for tests and benchmarks; and the
`vanbang` and `vanbang-verify` commands, run in-process (most tests) or as real processes (a
few smoke tests, and what must be its own process: serving)."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import io
import os
import socket
import subprocess
import sys
import threading
import traceback
import unittest.mock
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO, cast

import aiohttp

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def answering(process: asyncio.subprocess.Process, url: str, what: str) -> str:
    """Waits (30 s at most) until `url` answers 200, and answers its body; raises if the
    process serving it exits first."""
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with session.get(url) as response:
                    if response.status == 200:
                        return await response.text()
            if process.returncode is not None:
                raise RuntimeError(f"{what} exited before it answered")
            await asyncio.sleep(0.05)
    raise RuntimeError(f"{what} did not answer {url} in 30 s")


@dataclass
class Running:
    base: str
    process: asyncio.subprocess.Process
    db_url: str = ""  # the database it serves
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
    running = Running(f"http://127.0.0.1:{port}", process, db_url)
    assert process.stderr is not None
    # Drained all along, so that a chatty server never blocks on a full pipe.
    stderr = asyncio.create_task(process.stderr.read())
    try:
        await answering(process, f"{running.base}/healthz", "vanbang serve")
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


def _vanbang_env(db_url: str, env: Mapping[str, str]) -> dict[str, str]:
    # The test databases hold the demo issuers, so the demo keys sign for them.
    defaults = {"DATABASE_URL": db_url, "VANBANG_LOG_LEVEL": "warning", "VANBANG_DEMO": "1"}
    return {**defaults, **env}


async def run_vanbang(db_url: str, *args: str, **env: str) -> tuple[int, str, str]:
    """Runs one `vanbang` command against `db_url` in this process (a real one spends about
    0.3 s starting the interpreter and importing); returns (exit code, stdout, stderr)."""
    from service.cli import main

    environ = {**os.environ, **_vanbang_env(db_url, env)}
    return await run_in_process(lambda: main(args, environ))


async def run_vanbang_process(db_url: str, *args: str, **env: str) -> tuple[int, str, str]:
    """The same as a real `python -m service` process: for the smoke tests of the command."""
    return await run_module("service", *args, **_vanbang_env(db_url, env))


def verifier_process(*args: str) -> subprocess.CompletedProcess[str]:
    """Runs one `vanbang-verify` command in a process of its own (python -m verifier)."""
    return subprocess.run(  # this interpreter, the verifier's own command
        [sys.executable, "-m", "verifier", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


async def run_verifier(*args: str) -> tuple[int, str, str]:
    """Runs one `vanbang-verify` command in this process."""
    from verifier.cli import main

    return await run_in_process(lambda: main(args))


# Only one in-process command at a time: sys.stdout, sys.stderr and the working directory
# belong to the whole process.
_ONE_COMMAND = threading.Lock()
# The running command's (stdout, stderr); seen by its thread and every task its event loop
# starts (they copy the thread's context), not by the test's own loop.
_CAPTURED: contextvars.ContextVar[tuple[io.StringIO, io.StringIO] | None] = contextvars.ContextVar(
    "captured", default=None
)


class _Routed(io.TextIOBase):
    """sys.stdout or sys.stderr while an in-process command runs: what the command writes goes
    to its own buffer; what the rest of the process writes meanwhile (an in-process app's
    background tasks on the test's loop) goes where it went before. Loggers that keep the
    stream they were configured with write through it afterwards too.
    """

    def __init__(self, name: Literal["stdout", "stderr"]) -> None:
        super().__init__()
        self._name = name
        self.replaced: TextIO | None = None  # the stream it stands in for, during a command

    def _target(self) -> TextIO:
        captured = _CAPTURED.get()
        if captured is not None:
            return captured[0 if self._name == "stdout" else 1]
        current: object = getattr(sys, self._name)
        if current is not self:
            return cast(TextIO, current)
        return self.replaced or getattr(sys, f"__{self._name}__")

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()


_STDOUT = _Routed("stdout")
_STDERR = _Routed("stderr")


async def run_in_process(main: Callable[[], int]) -> tuple[int, str, str]:
    """Runs a command's `main` as `python -m` would, but in this process: in a thread (it
    runs its own event loop with asyncio.run, and the test's loop is running), from the
    checkout, its output captured, SystemExit and a crash turned into an exit code.

    The logging set-up it does (structlog's global configuration) is undone afterwards, and
    structlog may not cache its loggers meanwhile: a cached logger would keep the first
    command's level and format for every later one."""
    return await asyncio.to_thread(_run_command, main)


def _run_command(main: Callable[[], int]) -> tuple[int, str, str]:
    import structlog

    configure = structlog.configure

    def configure_uncached(**config: Any) -> None:
        configure(**{**config, "cache_logger_on_first_use": False})

    out, err = io.StringIO(), io.StringIO()
    with (
        _ONE_COMMAND,
        contextlib.chdir(ROOT),
        unittest.mock.patch.object(structlog, "configure", configure_uncached),
    ):
        logging_config = structlog.get_config()
        stdout, stderr = sys.stdout, sys.stderr
        _STDOUT.replaced, _STDERR.replaced = stdout, stderr
        sys.stdout, sys.stderr = _STDOUT, _STDERR
        token = _CAPTURED.set((out, err))
        try:
            code = _exit_code(main, err)
        finally:
            _CAPTURED.reset(token)
            sys.stdout, sys.stderr = stdout, stderr
            _STDOUT.replaced = _STDERR.replaced = None
            configure(**logging_config)
    return code, out.getvalue(), err.getvalue()


def _exit_code(main: Callable[[], int], err: io.StringIO) -> int:
    try:
        return main()
    except SystemExit as stop:  # argparse's usage errors, --help and --version
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=err)
        return 1
    except Exception:  # as the interpreter would: the traceback, and exit code 1
        traceback.print_exc(file=err)
        return 1
