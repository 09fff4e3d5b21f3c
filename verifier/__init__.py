"""vanbang's verifier: checks signed diploma records against a trust list, offline.

It imports nothing from the service. Given the root public key, a trust list (fetched from
`/.well-known/vanbang/trust-list` or cached) and a signed record::

    from verifier import TrustList, verify_record, load_public_pem

    root = load_public_pem(open("root.pub.pem", "rb").read())
    trust = TrustList.from_bytes(open("trust-list.cose", "rb").read(), root_key=root)
    record = verify_record(signed_bytes, trust)   # raises a VerificationError if not valid
    print(record.fields["holder_name"], record.issued_at)

The QR code printed on a diploma is checked the same way::

    from verifier import token_from_text, verify_token

    token = verify_token(token_from_text(qr_text), trust)
    print(token.fields["serial"], token.fields["holder_name"])
"""

from verifier._signed import Verified
from verifier._warnings import quiet_pyhanko_imports
from verifier.errors import (
    IssuerMismatchError,
    KeyCompromisedError,
    KeyNotValidError,
    MalformedError,
    SignatureError,
    TrustListError,
    UnknownKeyError,
    UnsupportedAlgorithmError,
    VerificationError,
)
from verifier.keys import kid_for, load_public_pem
from verifier.record import verify_record
from verifier.token import token_from_text, verify_token
from verifier.trust_list import Custody, TrustedCertificate, TrustedIssuer, TrustedKey, TrustList

__all__ = [
    "Custody",
    "IssuerMismatchError",
    "KeyCompromisedError",
    "KeyNotValidError",
    "MalformedError",
    "SignatureError",
    "TrustList",
    "TrustListError",
    "TrustedCertificate",
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
]

quiet_pyhanko_imports()  # for the `pdf` extra's pyHanko, whoever imports it first
