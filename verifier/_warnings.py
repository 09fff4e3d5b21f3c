"""Warnings of other libraries that say nothing to vanbang's users."""

from __future__ import annotations

import warnings


def quiet_pyhanko_imports() -> None:
    """pyHanko 0.38 imports cryptography's DSA key types, which cryptography 51 deprecates
    with a warning at import: vanbang neither makes nor accepts DSA signatures (RSA and
    ECDSA only, docs/digital-diplomas.md), so an operator starting the service or a
    verifier reading a PDF is not shown it. Only that warning, only from pyHanko."""
    from cryptography.utils import CryptographyDeprecationWarning

    warnings.filterwarnings(
        "ignore",
        message="DSA is deprecated",
        category=CryptographyDeprecationWarning,
        module=r"pyhanko\.",
    )
