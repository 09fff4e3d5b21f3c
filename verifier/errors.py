"""The one error family of the verifier. Every check that fails raises a subclass of
`VerificationError`, whose `code` is a stable machine code and whose message says why.

    VerificationError
    ├── MalformedError            the bytes are not a well-formed token, record or list
    ├── UnsupportedAlgorithmError the signature is not EdDSA (Ed25519)
    ├── UnknownKeyError           no trusted key has this kid
    ├── SignatureError            the signature does not match the signed bytes
    ├── IssuerMismatchError       the key belongs to another issuer than the record names
    ├── KeyNotValidError          the key was not valid when the record says it was issued
    ├── KeyCompromisedError       the record was issued after its key was compromised
    ├── TrustListError            the trust list is not signed by the given root key
    ├── NoteError                 a checkpoint is malformed or not signed by the log key
    ├── ProofError                a Merkle proof does not hold
    └── WitnessPolicyError        a checkpoint lacks the witness cosignatures asked for
"""

from __future__ import annotations


class VerificationError(Exception):
    code = "verification_failed"


class MalformedError(VerificationError):
    code = "malformed"


class UnsupportedAlgorithmError(VerificationError):
    code = "unsupported_algorithm"


class UnknownKeyError(VerificationError):
    code = "unknown_key"


class SignatureError(VerificationError):
    code = "signature_invalid"


class IssuerMismatchError(VerificationError):
    code = "issuer_mismatch"


class KeyNotValidError(VerificationError):
    code = "key_not_valid_at_issuance"


class KeyCompromisedError(VerificationError):
    code = "key_compromised"


class TrustListError(VerificationError):
    code = "trust_list_invalid"


class NoteError(VerificationError):
    code = "checkpoint_invalid"


class ProofError(VerificationError):
    code = "proof_invalid"


class WitnessPolicyError(VerificationError):
    code = "witness_policy_unmet"
