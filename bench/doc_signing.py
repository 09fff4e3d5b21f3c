"""PAdES signing of one small PDF with the demo PEM signer (issue 20: a signed digital diploma
within about 100 ms of server CPU): CPU time per signature, no timestamp authority, the demo
CAs' CRLs embedded in the DSS (what `doc_signer_for` gives in development).

    .venv/bin/python bench/doc_signing.py [--rounds 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.docsign.pades import sign_pdf  # noqa: E402
from service.docsign.registry import DocSigners, DocSigningConfig  # noqa: E402
from tests.signing_tools import small_pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    demo = ROOT / "keys-example"
    config = DocSigningConfig(directory=demo / "none", demo_directory=demo / "doc-signing")
    signer = DocSigners(config, demo).doc_signer_for("SGDDT-HN")
    assert signer is not None
    pdf = small_pdf()
    sign_pdf(pdf, signer)  # warm: imports, first path validation
    cpu = []
    for _ in range(rounds):
        start = time.process_time()
        signed = sign_pdf(pdf, signer)
        cpu.append(time.process_time() - start)
    print(
        f"{signed.level.name}, revocation embedded: {signed.level.revocation_embedded}; "
        f"{len(pdf)} -> {len(signed.pdf)} bytes; CPU per signature: median "
        f"{statistics.median(cpu) * 1000:.1f} ms, max {max(cpu) * 1000:.1f} ms ({rounds} rounds)"
    )


if __name__ == "__main__":
    main()
