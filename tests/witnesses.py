"""Witnesses for tests: `vanbang witness serve` as a real process on a free loopback port,
with a key made by `vanbang witness key generate` and a state directory of its own."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from tests.running import ROOT, answering, free_port, run_in_process


@dataclass
class WitnessProcess:
    name: str
    vkey: str
    key: Path
    state: Path
    port: int
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def setting(self) -> str:
        """Its entry in VANBANG_WITNESSES."""
        return f"{self.vkey} {self.url}"

    def evidence(self, origin_hash: str) -> list[Path]:
        folder = self.state / "logs" / origin_hash / "evidence"
        return sorted(folder.iterdir()) if folder.is_dir() else []


async def new_witness(folder: Path, name: str) -> WitnessProcess:
    """A witness's key (through the command) and paths; not started."""
    from service.cli import main

    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "witness.key"
    args = ("witness", "key", "generate", "--name", name, "--out", str(key))
    code, out, err = await run_in_process(lambda: main(args, {**os.environ}))
    assert code == 0, err
    return WitnessProcess(name, out.strip(), key, folder / "state", free_port())


@contextlib.asynccontextmanager
async def serving(witness: WitnessProcess, *log_keys: str) -> AsyncIterator[WitnessProcess]:
    """`vanbang witness serve` until the context ends (or the test kills it first)."""
    args = ["--key", str(witness.key), "--state", str(witness.state)]
    for log_key in log_keys:
        args += ["--log-key", log_key]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service", "witness", "serve", *args,
        "--listen", f"127.0.0.1:{witness.port}",
        env={**os.environ, "VANBANG_LOG_LEVEL": "warning"},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )  # fmt: skip
    witness.process = process
    assert process.stderr is not None
    stderr = asyncio.create_task(process.stderr.read())
    try:
        try:
            vkey = await answering(process, witness.url + "/", "the witness")
        except RuntimeError as exc:
            if process.returncode is None:  # still running: its stderr has no end to read
                raise
            raise RuntimeError(f"{exc}: {(await stderr).decode()}") from None
        assert vkey.strip() == witness.vkey
        yield witness
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), 30)
        await stderr
