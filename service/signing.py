"""Signing register records at registration: the payload and COSE code are verifier's, the
Ed25519 work runs on a thread pool (cryptography releases the GIL while it signs), so a
batch signs on every core while the event loop goes on serving."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.domain.registration import DiplomaRecord
from service.keystore import IssuerKey, KeyStore
from service.qr.tokens import record_token
from service.resources import demo_dir
from service.settings import Settings
from verifier.cose import protected_header, sign1_with_header
from verifier.record import RECORD_VERSION, encode_record

if TYPE_CHECKING:
    from service.docsign.registry import DocSigners

CHUNK = 250  # records per task: small enough to spread a batch, large enough to amortise


def record_payload(record: DiplomaRecord) -> bytes:
    """The deterministic CBOR that is signed for a register entry."""
    return encode_record(signed_fields(record))


def signed_fields(record: DiplomaRecord) -> dict[str, Any]:
    return {
        "v": RECORD_VERSION,
        "issuer": record.issuer_code,
        "kind": record.kind.value,
        "regulation": record.regulation,
        "serial": record.serial,
        "register_number": record.register_number,
        "holder_name": record.holder_name,
        "date_of_birth": record.date_of_birth.isoformat(),
        "place_of_birth": record.place_of_birth,
        "gender": record.gender,
        "major": record.major,
        "classification": record.classification,
        "mode_of_study": record.mode_of_study,
        "graduation_year": record.graduation_year,
        "place_of_issue": record.place_of_issue,
        "issued_on": record.issued_on.isoformat(),
        "signer_name": record.signer_name,
        "signer_title": record.signer_title,
        "signer_on_behalf_of": record.signer_on_behalf_of,
        "salt": record.salt,
        "issued_at": int(record.issued_at.timestamp()),
    }


def _sign_chunk(key: IssuerKey, payloads: list[bytes]) -> list[bytes]:
    header = protected_header(key.kid)
    return [sign1_with_header(p, key.private_key, header) for p in payloads]


def _sign_with_tokens(key: IssuerKey, records: list[DiplomaRecord]) -> list[tuple[bytes, bytes]]:
    header = protected_header(key.kid)
    signed = [sign1_with_header(record_payload(r), key.private_key, header) for r in records]
    return [(s, record_token(r, s, key)) for r, s in zip(records, signed, strict=True)]


async def sign_diplomas(
    key: IssuerKey, records: list[DiplomaRecord], executor: Executor | None
) -> tuple[list[bytes], list[bytes]]:
    """Each record signed, and its QR token (signed by the same key: the bytes a QR code of
    the stored row will carry), on the thread pool as `sign_records` signs."""
    if executor is None or len(records) <= CHUNK:
        pairs = _sign_with_tokens(key, records)
    else:
        loop = asyncio.get_running_loop()
        chunks = [records[i : i + CHUNK] for i in range(0, len(records), CHUNK)]
        parts = await asyncio.gather(
            *(loop.run_in_executor(executor, _sign_with_tokens, key, chunk) for chunk in chunks)
        )
        pairs = [pair for part in parts for pair in part]
    return [s for s, _ in pairs], [t for _, t in pairs]


async def sign_records(
    key: IssuerKey, records: list[DiplomaRecord], executor: Executor | None
) -> list[bytes]:
    payloads = [record_payload(r) for r in records]
    if executor is None or len(payloads) <= CHUNK:
        return _sign_chunk(key, payloads)
    loop = asyncio.get_running_loop()
    chunks = [payloads[i : i + CHUNK] for i in range(0, len(payloads), CHUNK)]
    signed = await asyncio.gather(
        *(loop.run_in_executor(executor, _sign_chunk, key, chunk) for chunk in chunks)
    )
    return [message for part in signed for message in part]


@dataclass(frozen=True)
class Signing:
    """What registration needs to sign: the private keys and the threads to sign on, and
    for documents with a PAdES signature (an electronic extract) the organisation
    certificates (service/docsign) and the timestamp authority."""

    keystore: KeyStore
    executor: Executor | None = None
    doc_signers: DocSigners | None = None
    tsa_url: str | None = None


def keystore_for(settings: Settings) -> KeyStore:
    """Keys from VANBANG_KEYS_DIR, plus the public demo keys when the demo is enabled."""
    return KeyStore(settings.keys_dir, demo_dir() if settings.demo else None)
