"""A diploma's QR token, made on demand from its register row and signed by the key that
signed the record, with the record's issued-at. Ed25519 is deterministic, so a diploma's QR
is the same every time it is printed; no second signature is stored per diploma, only the
token's digest (`token_digest`, 0022_token_digests), by which a QR check recognises the
register's own tokens."""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from service import texts
from service.domain.registration import DiplomaRecord
from service.keystore import IssuerKey, KeyStore
from service.problems import NO_SIGNING_KEY, Problem
from verifier.cose import sign1
from verifier.token import TOKEN_VERSION, encode_token, record_digest, token_url


class Row(Protocol):
    """A register row by column name: an asyncpg Record or a plain mapping."""

    def __getitem__(self, key: str, /) -> Any: ...


def token_fields(row: Row) -> dict[str, Any]:
    return {
        "v": TOKEN_VERSION,
        "issuer": row["issuer_code"],
        "kind": row["kind"],
        "serial": row["serial"],
        "register_number": row["register_number"],
        "holder_name": row["holder_name"],
        "date_of_birth": row["date_of_birth"].isoformat(),
        "graduation_year": row["graduation_year"],
        "major": row["major"],
        "classification": row["classification"],
        "issued_at": int(row["issued_at"].timestamp()),
        "place_of_birth": row["place_of_birth"],
        "issued_on": row["issued_on"].isoformat(),
        "record_digest": record_digest(bytes(row["signed"])),
    }


def issued_fields(row: Row) -> dict[str, Any]:
    """What the token made from this row says, as a verifier shows it (`public_fields`:
    absent fields left out, the record digest in hex), without decoding the token: for a
    token the register recognised by its digest, these are its bytes' fields."""
    fields = token_fields(row)
    fields["record_digest"] = fields["record_digest"].hex()
    return {name: value for name, value in fields.items() if value is not None}


def token_digest(token: bytes) -> bytes:
    """What the register keeps of each token it issues: the SHA-256 of its exact bytes."""
    return hashlib.sha256(token).digest()


def record_token(record: DiplomaRecord, signed: bytes, key: IssuerKey) -> bytes:
    """The token of a record being registered, signed by `key`, which signed the record as
    `signed`: the very bytes `diploma_token` makes later from the stored row."""
    row = {**record._asdict(), "kind": record.kind.value, "signed": signed}
    return sign1(encode_token(token_fields(row)), key.private_key, key.kid)


def diploma_token(row: Row, keystore: KeyStore) -> bytes:
    key = keystore.issuer_key(bytes(row["kid"]))
    if key is None:
        raise Problem(NO_SIGNING_KEY, *texts.SIGNING_KEY_ABSENT)
    return sign1(encode_token(token_fields(row)), key.private_key, key.kid)


def diploma_qr_text(row: Row, keystore: KeyStore, public_url: str) -> str:
    return token_url(diploma_token(row, keystore), public_url)


def copy_fields(copy: Row) -> dict[str, Any]:
    """A certified copy's token (docs/qr-format.md, "A certified copy"): the diploma's fields
    as the copy prints them (the register's content when it was copied), the copy's number
    and date, and the digests of the diploma record and of the copy register's signed entry.
    Its issued-at is the entry's, so the key is judged when the copy was made."""
    content = copy["content"]
    return {
        "v": TOKEN_VERSION,
        "issuer": copy["issuer_code"],
        "kind": content["kind"],
        "serial": content["serial"],
        "register_number": content["register_number"],
        "holder_name": content["full_name"],
        "date_of_birth": content["date_of_birth"],
        "graduation_year": content["graduation_year"],
        "major": content.get("major"),
        "classification": content.get("classification"),
        "issued_at": int(copy["recorded_at"].timestamp()),
        "place_of_birth": content.get("place_of_birth"),
        "issued_on": content["issued_on"],
        "record_digest": copy["record_digest"],
        "copy_number": copy["number"],
        "copied_on": copy["issued_on"].isoformat(),
        "copy_digest": record_digest(bytes(copy["signed"])),
    }


def copy_qr_text(copy: Row, keystore: KeyStore, public_url: str) -> str:
    """The QR text printed on a certified copy, signed by the key that signed its entry."""
    key = keystore.issuer_key(bytes(copy["kid"]))
    if key is None:
        raise Problem(NO_SIGNING_KEY, *texts.SIGNING_KEY_ABSENT)
    token = sign1(encode_token(copy_fields(copy)), key.private_key, key.kid)
    return token_url(token, public_url)
