"""`vanbang key ...`: issuers' signing keys and the root key."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import UTC, datetime

import asyncpg

from service.cli.common import CommandError
from service.domain.journal import Action
from service.settings import Settings
from service.usecases.journal import note
from verifier.keys import kid_for, raw_public


def _now_seconds() -> datetime:
    # Key windows are whole seconds, as the issued-at times they are judged against.
    return datetime.now(UTC).replace(microsecond=0)


async def _new_key(settings: Settings, conn: asyncpg.Connection, issuer: str) -> str:
    """Creates a key file and registers its public half; both or neither."""
    from service.db.keys import insert_key
    from service.signing import keystore_for

    keystore = keystore_for(dataclasses.replace(settings, demo=False))
    async with conn.transaction():
        created = keystore.create_issuer_key()
        await insert_key(
            conn, created.kid, issuer, raw_public(created.private_key.public_key()), _now_seconds()
        )
        await note(
            conn,
            None,
            Action.KEY_GENERATED,
            issuer_code=issuer,
            record_type="key",
            record_id=created.kid.hex(),
        )
    return created.kid.hex()


async def key_generate(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.keys import active_kid
    from service.db.register import get_issuer

    issuer = args.issuer.upper()
    if await get_issuer(conn, issuer) is None:
        raise CommandError(f"no issuer {issuer}")
    if await active_kid(conn, issuer) is not None:
        raise CommandError(f"{issuer} has an active key; use `vanbang key rotate`")
    kid = await _new_key(settings, conn, issuer)
    print(f"key {kid} signs for {issuer} from now on ({settings.keys_dir / (kid + '.pem')})")
    return 0


async def key_rotate(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.db.keys import retire_active_key

    issuer = args.issuer.upper()
    async with conn.transaction():
        old = await retire_active_key(conn, issuer, _now_seconds())
        if old is None:
            raise CommandError(f"{issuer} has no active key; use `vanbang key generate`")
        kid = await _new_key(settings, conn, issuer)
        await note(
            conn,
            None,
            Action.KEY_ROTATED,
            issuer_code=issuer,
            record_type="key",
            record_id=old.hex(),
            detail={"new_kid": kid},
        )
    print(f"key {old.hex()} retired; key {kid} signs for {issuer} from now on")
    return 0


async def key_compromised(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    from service.db.keys import mark_compromised

    try:
        kid = bytes.fromhex(args.kid)
        since = datetime.fromisoformat(args.since)
    except ValueError as exc:
        raise CommandError(f"bad key id or time: {exc}") from None
    if since.tzinfo is None:
        raise CommandError("--since needs a UTC offset, e.g. 2026-03-01T08:00:00+07:00")
    async with conn.transaction():
        issuer = await mark_compromised(conn, kid, since.replace(microsecond=0))
        if issuer is None:
            raise CommandError(f"no key {args.kid}")
        await note(
            conn,
            None,
            Action.KEY_COMPROMISED,
            issuer_code=issuer,
            record_type="key",
            record_id=kid.hex(),
            detail={"since": since.isoformat()},
        )
    print(
        f"key {args.kid} of {issuer}: every signature from {since.isoformat()} on is "
        f"untrusted; give {issuer} a new key with `vanbang key generate --issuer {issuer}`"
    )
    return 0


async def key_list(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.db.keys import list_keys

    for row in await list_keys(conn, args.issuer.upper() if args.issuer else None):
        until = row["not_after"].isoformat() if row["not_after"] else "active"
        state = (
            f" compromised since {row['compromised_since'].isoformat()}"
            if row["compromised_since"]
            else ""
        )
        print(
            f"{bytes(row['kid']).hex()}  {row['issuer_code']:<16} "
            f"{row['not_before'].isoformat()} .. {until}{state}"
        )
    return 0


async def key_root(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.keystore import KeyStore

    root = KeyStore(settings.keys_dir).create_root_key()
    await note(
        conn,
        None,
        Action.ROOT_KEY_GENERATED,
        issuer_code=None,
        record_type="key",
        record_id=kid_for(root.public_key()).hex(),
    )
    print(
        f"root key {kid_for(root.public_key()).hex()}: {settings.keys_dir / 'root.pem'}; "
        f"give verifiers {settings.keys_dir / 'root.pub.pem'}"
    )
    return 0


async def key_log(settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    from service.keystore import KeyStore
    from verifier.note import verifier_key

    key = KeyStore(settings.keys_dir).create_log_key()
    await note(conn, None, Action.LOG_KEY_GENERATED, issuer_code=None, record_type="key")
    print(
        f"log key: {settings.keys_dir / 'log.pem'}; give auditors the verifier key\n"
        f"{verifier_key(settings.log_origin, key.public_key())}"
    )
    return 0


async def key_personal_id(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    """The secret sealing the personal identification numbers (service/sealing.py): once per
    register; every server of it needs the same file, and losing it loses the numbers."""
    from service.keystore import PERSONAL_ID_FILE, KeyStore

    key = KeyStore(settings.keys_dir).create_personal_id_key()
    await note(
        conn,
        None,
        Action.PERSONAL_ID_KEY_GENERATED,
        issuer_code=None,
        record_type="key",
        record_id=key.key_id.hex(),
    )
    print(
        f"personal-id key {key.key_id.hex()}: {settings.keys_dir / PERSONAL_ID_FILE}; "
        "back it up with the signing keys, and copy it to every server of this register"
    )
    return 0


async def key_certificate(
    settings: Settings, conn: asyncpg.Connection, args: argparse.Namespace
) -> int:
    """Publishes the issuer's document-signing certificate (from VANBANG_DOC_SIGNING_DIR or
    the PKCS#11 token, docs/digital-diplomas.md) in the trust list, beside its keys."""
    from service.db.register import get_issuer
    from service.docsign.registry import doc_signers_for
    from service.docsign.signers import DocumentSignerError, fingerprint
    from service.usecases.doc_certificates import publish_certificate

    issuer = args.issuer.upper()
    if await get_issuer(conn, issuer) is None:
        raise CommandError(f"no issuer {issuer}")
    signers = doc_signers_for(settings)
    try:
        signer = signers.doc_signer_for(issuer)
    except DocumentSignerError as exc:
        raise CommandError(str(exc)) from None
    finally:
        signers.close()
    if signer is None:
        raise CommandError(
            f"no document-signing certificate for {issuer} in {settings.doc_signing_dir} "
            "or on the PKCS#11 token"
        )
    cert = signer.certificate
    async with conn.transaction():
        added = await publish_certificate(conn, issuer, cert)
        if added:
            await note(
                conn,
                None,
                Action.CERTIFICATE_PUBLISHED,
                issuer_code=issuer,
                record_type="certificate",
                record_id=fingerprint(cert).hex(),
            )
    state = "published" if added else "already published"
    print(
        f"certificate {fingerprint(cert).hex()} of {issuer} ({signer.source}) {state}: "
        f"{cert.subject.human_friendly}, valid {cert.not_valid_before.isoformat()} .. "
        f"{cert.not_valid_after.isoformat()}"
    )
    return 0
