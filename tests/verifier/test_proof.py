"""Offline proofs (c2sp.org/tlog-proof@v1, verifier/proof.py) made here from a tree of vanbang
leaves, a log key and two witnesses: a proof verifies, through the library and through
`vanbang-verify proof` in its own process; a changed leaf, index, proof hash or checkpoint
fails, and so do too few cosignatures under a policy, a forged one, and anything not
written as the spec writes it."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.running import verifier_process
from verifier import merkle
from verifier.cosignature import WitnessPolicy, cosign, witness_vkey
from verifier.errors import MalformedError, NoteError, ProofError, WitnessPolicyError
from verifier.note import Checkpoint, sign_note, verifier_key
from verifier.proof import HEADER, TlogProof, parse_proof, verify_proof
from verifier.proofcheck import decode_leaf

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "vanbang.example/log"
LOG_KEY = Ed25519PrivateKey.generate()
LOG_VKEY = verifier_key(ORIGIN, LOG_KEY.public_key())
WITNESSES = [(f"witness{n}.example", Ed25519PrivateKey.generate()) for n in (1, 2)]
VKEYS = [witness_vkey(name, key.public_key()) for name, key in WITNESSES]
NOW = 1_780_000_000
DIPLOMA = uuid.UUID("0190f0aa-0000-7000-8000-000000000001")
RECORD = b"a signed record, standing in for its COSE_Sign1"


def _entries(size: int) -> list[bytes]:
    entries = [
        merkle.encode_leaf("issue", "SGDDT-HN", uuid.uuid4().bytes, bytes(32), NOW + i)
        for i in range(size)
    ]
    entries[5] = merkle.encode_leaf(
        "issue", "SGDDT-HN", DIPLOMA.bytes, hashlib.sha256(RECORD).digest(), NOW
    )
    return entries


ENTRIES = _entries(13)


def _nodes(entries: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Every perfect subtree, as the service stores them."""
    nodes = {(0, i): merkle.leaf_hash(e) for i, e in enumerate(entries)}
    level, width = 0, len(entries)
    while width > 1:
        for i in range(width // 2):
            left, right = nodes[(level, 2 * i)], nodes[(level, 2 * i + 1)]
            nodes[(level + 1, i)] = merkle.node_hash(left, right)
        level, width = level + 1, width // 2
    return nodes


def _checkpoint(size: int, witnesses: int = 2, key: Ed25519PrivateKey = LOG_KEY) -> str:
    nodes = _nodes(ENTRIES[:size])
    root = merkle.build(merkle.root(size), nodes)
    body = Checkpoint(ORIGIN, size, root).body()
    note = sign_note(body, ORIGIN, key)
    for name, wkey in WITNESSES[:witnesses]:
        note += cosign(body, name, wkey, NOW)
    return note


def _proof(index: int = 5, size: int = 13, witnesses: int = 2) -> TlogProof:
    path = merkle.build(merkle.inclusion(index, size), _nodes(ENTRIES[:size]))
    return TlogProof(index, tuple(path), _checkpoint(size, witnesses), extra=ENTRIES[index])


def test_a_proof_verifies_and_names_its_leaf() -> None:
    text = _proof().text()
    assert text.startswith(f"{HEADER}\nextra {base64.b64encode(ENTRIES[5]).decode()}\nindex 5\n")
    assert parse_proof(text) == _proof()
    proved = verify_proof(text, LOG_VKEY, policy=WitnessPolicy.parse(VKEYS, 2), now=NOW)
    assert (proved.index, proved.checkpoint.size, proved.entry) == (5, 13, ENTRIES[5])
    assert sorted(c.name for c in proved.cosigned) == ["witness1.example", "witness2.example"]
    leaf = decode_leaf(proved.entry)
    assert (leaf.type, leaf.diploma, leaf.hash) == (
        "issue",
        DIPLOMA,
        hashlib.sha256(RECORD).digest(),
    )


@pytest.mark.parametrize(("index", "size"), [(0, 1), (0, 2), (1, 2), (12, 13), (7, 8), (8, 13)])
def test_every_shape_of_path_verifies(index: int, size: int) -> None:
    verify_proof(_proof(index, size).text(), LOG_VKEY)


def _flip(value: bytes) -> bytes:
    return bytes([value[0] ^ 1]) + value[1:]


def test_a_changed_leaf_index_hash_or_checkpoint_fails() -> None:
    good = _proof()
    with pytest.raises(ProofError):  # another entry
        verify_proof(TlogProof(5, good.path, good.checkpoint, ENTRIES[6]), LOG_VKEY)
    with pytest.raises(ProofError):  # the entry given instead of the proof's
        verify_proof(good, LOG_VKEY, entry=ENTRIES[4])
    with pytest.raises(ProofError):  # another index
        verify_proof(TlogProof(4, good.path, good.checkpoint, good.extra), LOG_VKEY)
    with pytest.raises(ProofError):  # an index beyond the tree
        verify_proof(TlogProof(13, good.path, good.checkpoint, good.extra), LOG_VKEY)
    for i in range(len(good.path)):  # any hash of the path changed
        path = list(good.path)
        path[i] = _flip(path[i])
        with pytest.raises(ProofError):
            verify_proof(TlogProof(5, tuple(path), good.checkpoint, good.extra), LOG_VKEY)
    with pytest.raises(ProofError):  # a hash dropped
        verify_proof(TlogProof(5, good.path[:-1], good.checkpoint, good.extra), LOG_VKEY)
    # Another checkpoint: a bigger tree's, a changed root, or one signed by another key.
    bigger = TlogProof(5, good.path, _checkpoint(12), good.extra)
    with pytest.raises(ProofError):
        verify_proof(bigger, LOG_VKEY)
    root_line = good.checkpoint.split("\n")[2]
    changed_root = base64.b64encode(_flip(base64.b64decode(root_line))).decode()
    changed = good.checkpoint.replace(root_line, changed_root)
    with pytest.raises(NoteError):
        verify_proof(TlogProof(5, good.path, changed, good.extra), LOG_VKEY)
    forged = _checkpoint(13, key=Ed25519PrivateKey.generate())
    with pytest.raises(NoteError):
        verify_proof(TlogProof(5, good.path, forged, good.extra), LOG_VKEY)
    with pytest.raises(MalformedError):  # nothing to prove
        verify_proof(TlogProof(5, good.path, good.checkpoint), LOG_VKEY)


def test_too_few_or_forged_cosignatures_fail_under_a_policy() -> None:
    one = _proof(witnesses=1).text()
    verify_proof(one, LOG_VKEY)  # no policy: the log's signature is enough
    verify_proof(one, LOG_VKEY, policy=WitnessPolicy.parse(VKEYS, 1), now=NOW)
    with pytest.raises(WitnessPolicyError, match="1 of the 2"):
        verify_proof(one, LOG_VKEY, policy=WitnessPolicy.parse(VKEYS, 2), now=NOW)
    with pytest.raises(WitnessPolicyError):
        verify_proof(_proof(witnesses=0).text(), LOG_VKEY, policy=WitnessPolicy.parse(VKEYS, 1))
    good = _proof()
    lines = good.checkpoint.split("\n")
    name, sig = lines[-2].split(" ")[1:]
    raw = base64.b64decode(sig)
    lines[-2] = f"— {name} {base64.b64encode(raw[:-1] + bytes([raw[-1] ^ 1])).decode()}"
    forged = TlogProof(5, good.path, "\n".join(lines), good.extra)
    verify_proof(forged, LOG_VKEY)  # a witness nobody asked for is not read
    with pytest.raises(WitnessPolicyError, match="does not verify"):
        verify_proof(forged, LOG_VKEY, policy=WitnessPolicy.parse(VKEYS, 1), now=NOW)


def test_only_the_specs_writing_is_read() -> None:
    text = _proof().text()
    head, _, note = text.partition("\n\n")
    lines = head.split("\n")
    bad = [
        text.replace(HEADER, "c2sp.org/tlog-proof@v2", 1),
        text.replace("\nindex 5\n", "\nindex 05\n", 1),
        text.replace("\nindex 5\n", "\nindex ５\n", 1),
        text.replace("\nindex 5\n", "\nindex  5\n", 1),
        text.replace("\nindex 5\n", f"\nindex {1 << 64}\n", 1),
        "\n".join([lines[0], lines[2], lines[1], *lines[3:]]) + "\n\n" + note,  # extra after
        "\n".join([*lines[:3], lines[3][:-1] + "A", *lines[4:]]) + "\n\n" + note,
        "\n".join([*lines[:3], lines[3][:20], *lines[4:]]) + "\n\n" + note,
        "\n".join([*lines[:3], "", *lines[3:]]) + "\n\n" + note,  # a blank line: no note
        "\n".join([*lines, *([lines[3]] * 61)]) + "\n\n" + note,  # 65 hashes
        text.replace("\nindex 5\n", "\nindex 5\t\n", 1),
        head + "\n",  # no checkpoint
        text.replace(lines[1], lines[1] + "=", 1),  # non-canonical extra
    ]
    for case in bad:
        with pytest.raises((MalformedError, NoteError, ProofError)):
            verify_proof(case, LOG_VKEY)
    with pytest.raises(MalformedError):
        parse_proof(text.replace("\nindex 5\n", "\nindex 05\n", 1))
    # No extra line is written as the spec allows: the entry is then given beside it.
    bare = TlogProof(5, _proof().path, _proof().checkpoint).text()
    assert bare.split("\n")[1] == "index 5"
    assert verify_proof(bare, LOG_VKEY, entry=ENTRIES[5]).index == 5


def test_a_leaf_not_written_as_vanbang_writes_it_is_refused() -> None:
    with pytest.raises(MalformedError):
        decode_leaf(b"\xa0")
    with pytest.raises(MalformedError):
        decode_leaf(ENTRIES[5] + b"\x00")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return verifier_process("proof", *args)


def test_the_command_checks_a_proof_offline(tmp_path: Path) -> None:
    saved = tmp_path / "bang-chung.tlog-proof"
    saved.write_text(_proof(witnesses=1).text(), encoding="utf-8")
    key = tmp_path / "log.key"
    key.write_text(LOG_VKEY + "\n", encoding="utf-8")
    record = tmp_path / "record.cose"
    record.write_bytes(RECORD)
    done = _cli(str(saved), "--key", str(key), "--witness", VKEYS[0], "--record", str(record))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"✔ Có trong nhật ký: mục 5 của nhật ký {ORIGIN} (điểm kiểm tra 13 mục)" in done.stdout
    assert f"văn bằng: {DIPLOMA}" in done.stdout
    assert "✔ Được 1 nhân chứng đồng ký: witness1.example" in done.stdout
    assert "đúng là bản ghi mà mục này nêu" in done.stdout
    english = _cli(str(saved), "--key", LOG_VKEY, "--lang", "en")
    assert english.returncode == 0
    assert f"included: leaf 5 of {ORIGIN} (checkpoint of 13 leaves)" in english.stdout

    # Too few cosignatures under the policy, another record, a changed proof: exit 1.
    policy = ["--witness", VKEYS[0], "--witness", VKEYS[1], "--witnesses-needed", "2"]
    refused = _cli(str(saved), "--key", str(key), *policy)
    assert refused.returncode == 1
    assert "KHÔNG ĐỦ ĐỒNG KÝ" in refused.stdout
    other = tmp_path / "other.cose"
    other.write_bytes(RECORD + b"!")
    wrong = _cli(str(saved), "--key", str(key), "--record", str(other))
    assert wrong.returncode == 1
    assert "KHÔNG phải bản ghi mà mục này nêu" in wrong.stdout
    saved.write_text(_proof().text().replace("index 5", "index 6"), encoding="utf-8")
    changed = _cli(str(saved), "--key", str(key))
    assert changed.returncode == 1
    assert "✘ KHÔNG CHỨNG MINH ĐƯỢC" in changed.stdout
    # Usage errors: exit 2.
    assert _cli(str(tmp_path / "absent"), "--key", str(key)).returncode == 2
    assert _cli(str(saved), "--key", str(key), "--root-key", str(key)).returncode == 2
