"""`vanbang witness serve` as a real process, fed checkpoints of a log made here: every
status c2sp.org/tlog-witness gives (the tlog_witness.statuses of ../shared/vectors), the
cosignature it answers with (c2sp.org/tlog-cosignature, checked by the verifier's own code),
and the evidence it keeps of a fork and a rollback."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.witness.state import origin_hash
from tests.external_vectors import load
from tests.witnesses import new_witness, serving
from verifier import merkle
from verifier.cosignature import WitnessPolicy, signed_message
from verifier.note import Checkpoint, sign_note, verifier_key

ORIGIN = "log.test/vanbang"
KEY = Ed25519PrivateKey.generate()
LOG_VKEY = verifier_key(ORIGIN, KEY.public_key())


def _tree(leaves: int, salt: bytes = b"") -> dict[merkle.Node, bytes]:
    nodes: dict[merkle.Node, bytes] = {}
    merkle.append(0, nodes, [merkle.leaf_hash(salt + bytes([i])) for i in range(leaves)])
    return nodes


def _checkpoint(size: int, nodes: dict[merkle.Node, bytes], key: Any = KEY) -> str:
    root = merkle.build(merkle.root(size), nodes) if size else merkle.EMPTY_ROOT
    return sign_note(Checkpoint(ORIGIN, size, root).body(), ORIGIN, key)


def _request(old: int, proof: list[bytes], note: str) -> bytes:
    lines = "".join(base64.b64encode(h).decode() + "\n" for h in proof)
    return f"old {old}\n{lines}\n{note}".encode()


def _proof(old: int, new: int, nodes: dict[merkle.Node, bytes]) -> list[bytes]:
    return merkle.build(merkle.consistency(old, new), nodes) if 0 < old < new else []


async def _post(url: str, body: bytes) -> tuple[int, str, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url + "/add-checkpoint", data=body) as response,
    ):
        return response.status, response.content_type, await response.text()


async def test_the_witness_answers_as_the_specification_says(tmp_path: Path) -> None:
    statuses = load("c2sp-examples.json")["tlog_witness"]["statuses"]
    tree, fork = _tree(8), _tree(8, b"fork")
    witness = await new_witness(tmp_path / "w1", "witness.test/w1")
    policy = WitnessPolicy.parse([witness.vkey], 1)
    async with serving(witness, LOG_VKEY):
        url = witness.url
        # Each case of the vectors' table, in the spec's words, and what the witness says.
        other_log = Ed25519PrivateKey.generate()
        unknown = sign_note(
            Checkpoint("other.test/log", 1, bytes(32)).body(), "other.test/log", other_log
        )
        assert (await _post(url, _request(0, [], unknown)))[0] == statuses["unknown origin"]

        forged = _checkpoint(4, tree, key=other_log)  # the log's name, another key
        good = _checkpoint(4, tree)
        failing = good[:-8] + ("A" if good[-8] != "A" else "B") + good[-7:]  # a signature byte
        for note in (forged, failing):
            status = (await _post(url, _request(0, [], note)))[0]
            assert status == statuses["no trusted or a failing signature"]

        status = (await _post(url, _request(5, [], _checkpoint(4, tree))))[0]
        assert status == statuses["old size > checkpoint size"]

        bad_empty = sign_note(Checkpoint(ORIGIN, 0, bytes(32)).body(), ORIGIN, KEY)
        needless = _request(0, [bytes(32)], _checkpoint(4, tree))
        for body in (_request(0, [], bad_empty), needless):
            assert (await _post(url, body))[0] == statuses[
                next(k for k in statuses if k.startswith("size 0"))
            ]

        # Cosigned from nothing: the answer is its cosignature line, over cosignature/v1.
        status, _, line = await _post(url, _request(0, [], _checkpoint(4, tree)))
        assert status == 200
        assert line.startswith("\u2014 witness.test/w1 ")
        assert line.endswith("\n")
        (cosigned,) = policy.check(_checkpoint(4, tree) + line)
        assert cosigned.timestamp > 0
        assert signed_message("x\n", 1679315147) == b"cosignature/v1\ntime 1679315147\nx\n"

        # An old size that is not the last cosigned: 409 and the size, as text/x.tlog.size.
        status, kind, answer = await _post(url, _request(0, [], _checkpoint(6, tree)))
        conflict = next(k for k in statuses if k.startswith("old size is not"))
        assert (status, kind, answer) == (statuses[conflict], "text/x.tlog.size", "4\n")

        # A proof that fails, and the same size with another root: 422, the evidence kept.
        wrong_proof = _request(4, _proof(4, 8, fork), _checkpoint(8, fork))
        same_size_fork = _request(4, [], _checkpoint(4, fork))
        inconsistent = next(k for k in statuses if k.startswith("size 0"))
        for body in (wrong_proof, same_size_fork):
            assert (await _post(url, body))[0] == statuses[inconsistent]
        kept = {p.name.rsplit("-", 1)[0]: p for p in witness.evidence(origin_hash(ORIGIN))}
        assert set(kept) == {"0-empty-root", "8-inconsistent", "4-fork"}
        assert kept["4-fork"].read_text().endswith(_checkpoint(4, fork))
        assert kept["8-inconsistent"].read_text().endswith(_checkpoint(8, fork))

        # The good proof from 4 to 8 is cosigned; the state moved to 8.
        status, _, line = await _post(url, _request(4, _proof(4, 8, tree), _checkpoint(8, tree)))
        assert status == 200
        policy.check(_checkpoint(8, tree) + line)

        # A rollback: a signed checkpoint smaller than the one cosigned is refused and kept.
        status, _, answer = await _post(url, _request(4, [], _checkpoint(4, tree)))
        assert (status, answer) == (409, "8\n")
        assert any(p.name.startswith("4-smaller-") for p in witness.evidence(origin_hash(ORIGIN)))

        # Monitoring: the last cosigned checkpoint, with the log's signature and the witness's.
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{url}/{origin_hash(ORIGIN)}/checkpoint") as response,
        ):
            served = await response.text()
        assert served.startswith(_checkpoint(8, tree).split("\n\n")[0])
        assert policy.check(served)[0].name == "witness.test/w1"

    # The state survives a restart: the next request must still start from 8.
    async with serving(witness, LOG_VKEY):
        status, _, answer = await _post(witness.url, _request(4, [], _checkpoint(6, tree)))
        assert (status, answer) == (409, "8\n")


async def test_a_second_witness_on_the_same_state_is_refused(tmp_path: Path) -> None:
    witness = await new_witness(tmp_path / "w", "witness.test/w")
    async with serving(witness, LOG_VKEY):
        other = await new_witness(tmp_path / "other", "witness.test/other")
        other.state = witness.state
        with pytest.raises(RuntimeError, match="another witness is serving"):
            await serving(other, LOG_VKEY).__aenter__()
