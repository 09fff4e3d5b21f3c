"""Document signatures with a legally recognised certificate (docs/digital-diplomas.md): the
issuers' X.509 signers (`signers`), where each issuer's comes from (`registry`,
`DocSigners.doc_signer_for`), and PAdES signing of a PDF (`pades.sign_pdf`). The Ed25519
COSE signatures of the register, the QR codes and the log stay as they are (service/signing.py).
"""

from verifier._warnings import quiet_pyhanko_imports

quiet_pyhanko_imports()  # before signers and pades import pyHanko
