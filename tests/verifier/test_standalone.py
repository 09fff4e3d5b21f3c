"""verifier/ stands alone: it imports nothing from the service, aiohttp or asyncpg."""

from __future__ import annotations

import subprocess
import sys

import verifier


def test_verifier_imports_nothing_from_the_service() -> None:
    code = (
        "import sys, verifier, verifier.cli, verifier.check, verifier.image, verifier.token; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('service', 'aiohttp', 'asyncpg')); print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_public_api_is_small_sorted_and_deliberate() -> None:
    assert verifier.__all__ == sorted(verifier.__all__)
    assert set(verifier.__all__) == {
        "IssuerMismatchError",
        "KeyCompromisedError",
        "KeyNotValidError",
        "MalformedError",
        "SignatureError",
        "TrustList",
        "TrustListError",
        "TrustedIssuer",
        "TrustedKey",
        "UnknownKeyError",
        "UnsupportedAlgorithmError",
        "VerificationError",
        "Verified",
        "kid_for",
        "load_public_pem",
        "token_from_text",
        "verify_record",
        "verify_token",
    }
    for name in verifier.__all__:
        assert getattr(verifier, name) is not None
