"""A test PKI on loopback, made with certomancer (a PKI testing tool by pyHanko's author): a
root CA, an issuing CA, a timestamp authority (RFC 3161), CRLs from both CAs and an OCSP
responder for the issuing CA, and one organisation certificate; served over HTTP on
127.0.0.1 by certomancer's aiohttp animator. Every certificate names the server's real
address, so what pyHanko fetches while signing really crosses a socket."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from certomancer.integrations.aiohttp_animator import build_animator_app
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, PKIArchitecture
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ARCH = "vanbang-test"
KEYS = ("root", "issuing", "tsa", "signer")
VALIDITY = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2050-01-01T00:00:00+0000"}


def _key_usage(*uses: str) -> dict[str, Any]:
    return {
        "id": "key_usage",
        "critical": True,
        "smart-value": {"schema": "key-usage", "params": list(uses)},
    }


def _crl_from(repo: str) -> dict[str, Any]:
    return {
        "id": "crl_distribution_points",
        "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [repo]}},
    }


def _config(prefix: str, key_dir: Path) -> dict[str, Any]:
    ca = {"id": "basic_constraints", "critical": True, "value": {"ca": True}}
    return {
        "external-url-prefix": prefix,
        "keysets": {
            ARCH: {
                "path-prefix": str(key_dir),
                "keys": {name: {"path": f"{name}.key.pem"} for name in KEYS},
            }
        },
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "VN", "organization-name": "Test PKI"},
                "entities": {
                    "root": {"common-name": "Test Root CA"},
                    "issuing": {"common-name": "Test Issuing CA"},
                    "tsa": {"common-name": "Test Timestamp Authority"},
                    "signer": {
                        "organization-name": "Sở Giáo dục và Đào tạo Hà Nội",
                        "common-name": "Sở Giáo dục và Đào tạo Hà Nội",
                    },
                },
                "certs": {
                    "root": {
                        "subject": "root",
                        "issuer": "root",
                        "validity": VALIDITY,
                        "extensions": [ca, _key_usage("key_cert_sign", "crl_sign")],
                    },
                    "issuing": {
                        "subject": "issuing",
                        "issuer": "root",
                        "validity": VALIDITY,
                        "extensions": [
                            ca,
                            _key_usage("key_cert_sign", "crl_sign"),
                            _crl_from("root"),
                        ],
                    },
                    "tsa": {
                        "subject": "tsa",
                        "issuer": "issuing",
                        "validity": VALIDITY,
                        "extensions": [
                            _key_usage("digital_signature"),
                            {
                                "id": "extended_key_usage",
                                "critical": True,
                                "value": ["time_stamping"],
                            },
                            _crl_from("issuing"),
                        ],
                    },
                    "signer": {
                        "subject": "signer",
                        "issuer": "issuing",
                        "validity": VALIDITY,
                        "extensions": [
                            _key_usage("digital_signature", "non_repudiation"),
                            _crl_from("issuing"),
                            {
                                "id": "authority_information_access",
                                "smart-value": {
                                    "schema": "aia-urls",
                                    "params": {"ocsp-responder-names": ["issuing"]},
                                },
                            },
                        ],
                    },
                },
                "services": {
                    "crl-repo": {
                        "root": {"for-issuer": "root", "simulated-update-schedule": "P90D"},
                        "issuing": {"for-issuer": "issuing", "simulated-update-schedule": "P30D"},
                    },
                    "ocsp": {"issuing": {"for-issuer": "issuing", "responder-cert": "issuing"}},
                    "time-stamping": {"tsa": {"signing-cert": "tsa"}},
                },
            }
        },
    }


@dataclass(frozen=True)
class TestPki:
    arch: PKIArchitecture
    base_url: str
    key_dir: Path

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/{ARCH}/tsa/tsa"

    def cert_der(self, label: str) -> bytes:
        der: bytes = self.arch.get_cert(CertLabel(label)).dump()
        return der

    def chain_pem(self) -> bytes:
        """The organisation certificate, then the issuing CA, then the root, as PEM."""
        from asn1crypto import pem

        return b"".join(
            pem.armor("CERTIFICATE", self.arch.get_cert(CertLabel(label)).dump())
            for label in ("signer", "issuing", "root")
        )

    def signer_key_pem(self) -> bytes:
        return (self.key_dir / "signer.key.pem").read_bytes()


def _write_keys(key_dir: Path) -> None:
    key_dir.mkdir(parents=True, exist_ok=True)
    for name in KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (key_dir / f"{name}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


@asynccontextmanager
async def running_pki(directory: Path) -> AsyncIterator[TestPki]:
    """The test PKI, served on a free port of 127.0.0.1 while the context lasts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    key_dir = directory / "pki-keys"
    _write_keys(key_dir)
    config = CertomancerConfig(_config(base_url, key_dir), key_search_dir=str(key_dir))
    arch = config.get_pki_arch(ArchLabel(ARCH))
    runner = web.AppRunner(build_animator_app({ArchLabel(ARCH): arch}, with_web_ui=False))
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    try:
        yield TestPki(arch, base_url, key_dir)
    finally:
        await runner.cleanup()
