"""Issuers' document-signing certificates in the trust list (docs/trust-list.md): the demo's,
loaded with the demo data; another published by `vanbang key certificate`; kept for good."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from service.docsign.signers import load_certificates
from tests.conftest import ROOT
from tests.running import run_vanbang
from tests.signing_tools import own_certificate
from verifier import TrustList, load_public_pem

TRUST = "/.well-known/vanbang/trust-list"
DEMO_ROOT = load_public_pem((ROOT / "keys-example" / "root.pub.pem").read_bytes())
DEMO_SIGNING = ROOT / "keys-example" / "doc-signing"


async def trust_list(client: Any) -> TrustList:
    response = await client.get(TRUST)
    assert response.status == 200
    return TrustList.from_bytes(await response.read(), root_key=DEMO_ROOT)


async def test_the_trust_list_publishes_each_demo_issuers_certificate(client: Any) -> None:
    trust = await trust_list(client)
    for code in trust.issuers:
        chain = load_certificates((DEMO_SIGNING / f"{code}.chain.pem").read_bytes())
        (published,) = trust.certificates_of(code)
        assert published.der == chain[0].dump()
        assert trust.issuer_of_certificate(chain[0].dump()) == code
        name = published.certificate().subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        assert name[0].value == trust.issuers[code].name
    # A CA's certificate is no issuer's.
    root = load_certificates((DEMO_SIGNING / "ca" / "root.pem").read_bytes())[0]
    assert trust.issuer_of_certificate(root.dump()) is None


async def test_vanbang_key_certificate_publishes_a_renewed_certificate(
    db_url: str, db: asyncpg.Connection, client: Any, tmp_path: Path
) -> None:
    own = tmp_path / "doc-signing"
    # An ECDSA P-256 certificate of the university's own, not the demo chain's.
    _, _, der = own_certificate(
        own, "DHSPHN", ec.generate_private_key(ec.SECP256R1()), "Trường Đại học Sư phạm Hà Nội"
    )
    env = {"VANBANG_DOC_SIGNING_DIR": str(own)}

    code, out, err = await run_vanbang(db_url, "key", "certificate", "--issuer", "DHSPHN", **env)
    assert code == 0, err
    assert "(pem) published: " in out
    assert "Trường Đại học Sư phạm Hà Nội" in out
    code, out, _ = await run_vanbang(db_url, "key", "certificate", "--issuer", "dhsphn", **env)
    assert code == 0
    assert "already published" in out

    trust = await trust_list(client)
    # The demo certificate stays beside the new one: what it signed still finds its issuer.
    assert len(trust.certificates_of("DHSPHN")) == 2
    assert trust.issuer_of_certificate(der) == "DHSPHN"
    action = await db.fetchval(
        "SELECT action FROM staff_journal WHERE record_type = 'certificate' AND issuer_code = $1",
        "DHSPHN",
    )
    assert action == "key.certificate"

    code, _, err = await run_vanbang(db_url, "key", "certificate", "--issuer", "NOPE", **env)
    assert (code, err.strip()) == (1, "vanbang: no issuer NOPE")
    no_demo = {**env, "VANBANG_DEMO": "0"}
    code, _, err = await run_vanbang(db_url, "key", "certificate", "--issuer", "BGDDT", **no_demo)
    assert code == 1
    assert "no document-signing certificate for BGDDT" in err


async def test_published_certificates_are_kept_for_good(db: asyncpg.Connection) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await db.execute("UPDATE issuer_certificates SET subject = 'x'")
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await db.execute("DELETE FROM issuer_certificates")
