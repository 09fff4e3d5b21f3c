"""The signed-note and checkpoint vectors of ../shared/vectors: golang.org/x/mod sumdb/note's
known answers and the C2SP specifications' examples, run against verifier.note and
verifier.cosignature. The witness's statuses (tlog_witness.statuses) are run against a real
`vanbang witness serve` in tests/service/test_witness.py, and the tiles' section by
tests/verifier/test_tiles.py; the offline proof's example as far as its elided signatures
allow. Those that need what vanbang does not build are skipped by name, saying so."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.external_vectors import load
from verifier.cosignature import WitnessPolicy, signed_message, witness_vkey
from verifier.errors import NoteError, WitnessPolicyError
from verifier.keys import raw_public
from verifier.note import (
    NoteVerifiers,
    note_text,
    parse_checkpoint,
    parse_note,
    parse_verifier_key,
    sign_note,
    verifier_key,
    verify_checkpoint,
    verify_note,
)
from verifier.proof import parse_proof

GO = "golang-mod-sumdb-note.json"
C2SP = "c2sp-examples.json"


def _go_open_cases() -> list[Any]:
    # The names are read lazily: at collection the vectors may be absent.
    return [pytest.param(i, id=f"open-{i}") for i in range(18)]


@pytest.mark.parametrize("case", _go_open_cases())
def test_go_open(case: int) -> None:
    go = load(GO)
    assert len(go["open"]) == 18, "the vectors changed: update the case count"
    c = go["open"][case]
    keys = NoteVerifiers.parse(go["verifier_keys"][name] for name in c["verifier_keys"])
    data = base64.b64decode(c["note_b64"])
    if c["want"] == "error":
        with pytest.raises(NoteError) as raised:
            verify_note(note_text(data), keys)
        if c["error"].startswith("ambiguous key"):
            assert "ambiguous key" in str(raised.value)
        if c["error"].startswith("invalid signature"):
            assert "does not verify" in str(raised.value)
        return
    note, verified = verify_note(note_text(data), keys)
    assert note_text(data) == c["note"]
    assert note.text == go["text"]
    assert set(verified) == set(c["verified"])
    assert {s.name for s in note.signatures} - set(verified) == set(c.get("unverified", []))


def _go_signer(key: str) -> tuple[str, Ed25519PrivateKey]:
    """Go's `PRIVATE+KEY+name+hash+base64(0x01 || seed)`, unpacked for the sign vector."""
    private, word, name, hash_hex, encoded = key.split("+", 4)
    raw = base64.b64decode(encoded, validate=True)
    assert (private, word, raw[:1], len(raw)) == ("PRIVATE", "KEY", b"\x01", 33)
    signer = Ed25519PrivateKey.from_private_bytes(raw[1:])
    assert parse_verifier_key(f"{name}+{hash_hex}+" + base64.b64encode(
        b"\x01" + raw_public(signer.public_key())).decode())[0] == name  # fmt: skip
    return name, signer


def test_go_sign() -> None:
    go = load(GO)
    for case in go["sign"]:
        name, signer = _go_signer(go["signer_keys"][case["signer_key"]])
        if "error" in case:
            with pytest.raises(NoteError):
                sign_note(case["text"], name, signer)
        else:
            assert sign_note(case["text"], name, signer) == case["signed_note"]


def test_go_signature_lines() -> None:
    go = load(GO)
    both = go["text"] + "\n" + "".join(go["signature_lines"].values())
    note, verified = verify_note(both, NoteVerifiers.parse(go["verifier_keys"].values()))
    assert verified == list(go["signature_lines"])
    assert note.text == go["text"]


def test_go_new_verifier() -> None:
    go = load(GO)
    for key in go["new_verifier"]["accept"]:
        name, public = parse_verifier_key(key)
        assert verifier_key(name, public) == key
    for bad in go["new_verifier"]["reject"]:
        with pytest.raises(NoteError):
            parse_verifier_key(bad["key"])
    # TestNewVerifier's rule: every proper substring, every one-byte increment, refused.
    key = go["verifier_keys"]["PeterNeumann"]
    assert "proper substring" in go["new_verifier"]["reject_rule"]
    mangled = {key[i:j] for i in range(len(key)) for j in range(i, len(key) + 1)} - {key}
    mangled |= {key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :] for i in range(len(key))}
    for bad in mangled:
        with pytest.raises(NoteError):
            parse_verifier_key(bad)


def test_go_verifier_list() -> None:
    go = load(GO)
    keys = NoteVerifiers.parse(go["verifier_list"]["keys"])
    for lookup in go["verifier_list"]["lookups"]:
        key_id = bytes.fromhex(lookup["hash"])
        if lookup["want"] == "ok":
            found = keys.find(lookup["name"], key_id)
            assert found is not None
            assert raw_public(found) == raw_public(parse_verifier_key(lookup["key"])[1])
        elif lookup["error"].startswith("ambiguous"):
            with pytest.raises(NoteError, match="ambiguous"):
                keys.find(lookup["name"], key_id)
        else:
            assert lookup["error"].startswith("unknown key")
            assert keys.find(lookup["name"], key_id) is None


def test_c2sp_signed_note_examples() -> None:
    ex = load(C2SP)["signed_note"]
    vkey = ex["vkey_example"]
    assert vkey["want"] == "verifies"
    note, verified = verify_note(vkey["note"], NoteVerifiers.parse([vkey["verifier_key"]]))
    assert note.text == vkey["text"]
    assert verified == ["example.com/foo"]
    # The key ID rule, on the example key.
    name, public = parse_verifier_key(vkey["verifier_key"])
    assert "SHA-256(key name || 0x0A || 0x01" in ex["key_id_rule"]
    # The intro: a text holding an empty line ends at the last blank line (no key given).
    intro = ex["intro_example"]
    parsed = parse_note(intro["note"])
    assert parsed.text == intro["text"]
    assert "\n\n" in parsed.text
    assert [_line(s.name, s.key_id + s.signature) for s in parsed.signatures] == intro[
        "signature_lines"
    ]
    assert intro["verifier_key"] is None
    with pytest.raises(NoteError, match="no signature by a known key"):
        verify_note(intro["note"], NoteVerifiers([(name, public)]))


def _line(name: str, raw: bytes) -> str:
    return f"\u2014 {name} {base64.b64encode(raw).decode()}"


def test_c2sp_checkpoint_example() -> None:
    ex = load(C2SP)["tlog_checkpoint"]["example"]
    note = parse_note(ex["note"])
    checkpoint = parse_checkpoint(note.text)
    assert checkpoint.origin == ex["origin"]
    assert checkpoint.size == ex["tree_size"]
    assert checkpoint.root == base64.b64decode(ex["root_hash_b64"])
    assert checkpoint.body() == note.text
    assert [_line(s.name, s.key_id + s.signature) for s in note.signatures] == ex["signature_lines"]
    # No key is published for it: any key we know refuses it, and says why.
    other = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(NoteError, match="no signature by a known key"):
        verify_checkpoint(ex["note"], verifier_key(ex["origin"], other))


def test_c2sp_cosignature_example() -> None:
    """The witness's line is a well-formed signature by an unknown key (ignored by the note),
    4 + 8 + 64 bytes, its timestamp the one of the signed message's example, which is what
    verifier.cosignature signs. No key is published for the example: a policy trusting
    another key under its name finds no cosignature and refuses it."""
    cos = load(C2SP)["tlog_cosignature"]
    note = parse_note(cos["example"]["note"])
    log, witness = note.signatures
    assert witness.name == cos["example"]["cosigner_name"]
    assert len(witness.signature) == 8 + 64
    time = int.from_bytes(witness.signature[:8], "big")
    message = cos["signed_message_example"]
    assert message == f"cosignature/v1\ntime {time}\n" + note.text
    assert signed_message(note.text, time) == message.encode()
    assert "0x04" in cos["ed25519_key_id_rule"]
    other = WitnessPolicy.parse(
        [witness_vkey(witness.name, Ed25519PrivateKey.generate().public_key())], 1
    )
    with pytest.raises(WitnessPolicyError, match="0 of the 1"):
        other.check(cos["example"]["note"], now=time)
    assert parse_checkpoint(note.text).size == 20852163
    assert len(log.signature) == 64


def test_c2sp_witness_examples() -> None:
    wit = load(C2SP)["tlog_witness"]
    # The request: "old N", the consistency proof, a blank line, then a signed checkpoint.
    request = wit["add_checkpoint_request_example"]
    head, _, checkpoint_note = request.partition("\n\n")
    old, *proof = head.split("\n")
    assert old == "old 20852014"
    assert all(len(base64.b64decode(h, validate=True)) == 32 for h in proof)
    note = parse_note(checkpoint_note)
    assert parse_checkpoint(note.text).size == 20852163
    assert len(note.signatures) == 2
    # The response: signature lines only, each well formed.
    response = "example\n\n" + wit["add_checkpoint_response_example"]
    assert len(parse_note(response).signatures) == 3


def test_the_proof_example_reads_as_far_as_it_goes() -> None:
    """c2sp.org/tlog-proof's example, read by verifier.proof: its extra data, index and five
    path hashes, and its checkpoint's text. Its signatures are elided (`hI2DJw[...]1roloI=`)
    in the spec, so the note is refused as a note, and nothing in it can be verified."""
    example = load(C2SP)["tlog_proof"]["example"]
    proof = parse_proof(example)
    assert proof.index == 73894
    assert proof.extra == base64.b64decode("YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ")
    assert len(proof.path) == 5
    assert proof.text() == example  # written back as it came
    text = proof.checkpoint[: proof.checkpoint.rindex("\n\n") + 1]
    checkpoint = parse_checkpoint(text)
    assert (checkpoint.origin, checkpoint.size) == ("example.com/fancylog", 109482)
    with pytest.raises(NoteError, match="base64"):
        parse_note(proof.checkpoint)


NOT_YET = {
    (GO, "new_signer"): (
        "vanbang reads no Go signer keys (the log key is a PEM file, see docs/audit.md); "
        "the sign vector's key is unpacked by the test itself"
    ),
}
# The tlog_tiles section (paths, tile sizes, the tiles of a tree) is run by
# tests/verifier/test_tiles.py::test_the_specs_examples.


@pytest.mark.parametrize("where", list(NOT_YET), ids=[f"{f}:{k}" for f, k in NOT_YET])
def test_sections_not_run_yet(where: tuple[str, str]) -> None:
    file, section = where
    value = load(file)
    for part in section.split("."):
        value = value[part]
    assert value
    pytest.skip(f"{section}: {NOT_YET[where]}")


def test_every_section_is_run() -> None:
    """A section added to the files upstream fails here until a test reads it."""
    assert set(load(GO)) == {
        "about", "source", "verifier_keys", "signer_keys", "text", "signature_lines",
        "sign", "new_verifier", "new_signer", "verifier_list", "open",
    }  # fmt: skip
    assert set(load(C2SP)) == {
        "about", "source", "signed_note", "tlog_checkpoint", "tlog_cosignature",
        "tlog_witness", "tlog_proof", "tlog_tiles",
    }  # fmt: skip
