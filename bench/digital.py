"""Digital diplomas (issue 20: a signed digital diploma within 100 ms of server CPU, so that a
5,000-graduate decision is signed within minutes), in one run, in-process on one core:

1. the QR token signed (Ed25519, as the job makes it for each diploma);
2. the PDF/A-3B document rendered (service/digital/document.py: the layout's preview, the QR
   code, the note, the signed register record attached);
3. its PAdES signature with the demo organisation certificate (service/docsign, no timestamp
   authority: B-B with the demo CAs' CRLs embedded, what development signs with);

and, as the baseline measured in the same run, one bare RSA-2048 PKCS#1 v1.5 signature (the
certificate's key operation, which no implementation avoids). Prints CPU ms a diploma for
each step, diplomas a second on one core, the share spent in signing, and the estimate for a
5,000-graduate decision on one and on two cores. Figures, not asserts: docs/digital-diplomas.md
keeps a run's.

    .venv/bin/python bench/digital.py [--diplomas 100]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402

from bench.qr import rows  # noqa: E402
from service.digital.document import diploma_document  # noqa: E402
from service.docsign.pades import sign_pdf  # noqa: E402
from service.docsign.registry import DocSigners, DocSigningConfig  # noqa: E402
from service.domain.kinds import DiplomaKind  # noqa: E402
from service.keystore import KeyStore  # noqa: E402
from service.printing.layout import default_layout, shipped_layouts  # noqa: E402
from service.qr.tokens import diploma_qr_text  # noqa: E402
from service.resources import demo_dir  # noqa: E402

ISSUED_AT = datetime(2026, 6, 5, 2, 0, tzinfo=UTC)


def cpu_ms(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = step()
    return (time.process_time() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=100)
    count = parser.parse_args().diplomas

    keystore = KeyStore(ROOT / "keys-example" / "none", demo_dir())
    demo = ROOT / "keys-example"
    config = DocSigningConfig(directory=demo / "none", demo_directory=demo / "doc-signing")
    signer = DocSigners(config, demo).doc_signer_for("SGDDT-HN")
    assert signer is not None
    layout = default_layout(shipped_layouts(0.40), DiplomaKind.THPT)
    demo_keys = orjson.loads((demo_dir() / "demo.json").read_bytes())["keys"]
    kid = bytes.fromhex(next(k["kid"] for k in demo_keys if k["issuer"] == "SGDDT-HN"))
    record = bytes(200)  # the attached record's size, about a signed record's
    made = [{**row, "kid": kid, "signed": record, "issued_at": ISSUED_AT} for row in rows(count)]
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def one(row: dict[str, Any]) -> bytes:
        text = diploma_qr_text(row, keystore, "https://vanbang.example.vn")
        unsigned = diploma_document(
            row,
            text,
            record,
            layout=layout,
            issuer_name="Sở Giáo dục và Đào tạo Hà Nội",
            module_mm=0.40,
            issued_at=ISSUED_AT,
        )
        return sign_pdf(unsigned, signer).pdf

    one(made[0])  # warm: imports, fonts, the first path validation
    render_one = functools.partial(
        diploma_document,
        layout=layout,
        issuer_name="Sở Giáo dục và Đào tạo Hà Nội",
        module_mm=0.40,
        issued_at=ISSUED_AT,
    )
    token, render, sign, baseline, sizes = [], [], [], [], []
    for row in made:
        ms, text = cpu_ms(functools.partial(diploma_qr_text, row, keystore, "https://x.vn"))
        token.append(ms)
        ms, unsigned = cpu_ms(functools.partial(render_one, row, text, record))
        render.append(ms)
        ms, signed = cpu_ms(functools.partial(sign_pdf, unsigned, signer))
        sign.append(ms)
        sizes.append(len(signed.pdf))
        bare = functools.partial(rsa_key.sign, b"x" * 32, padding.PKCS1v15(), hashes.SHA256())
        ms, _ = cpu_ms(bare)
        baseline.append(ms)

    median = statistics.median
    total = median(token) + median(render) + median(sign)
    print(f"digital diplomas, in-process on one core, {count} THPT diplomas (CPU ms, median):")
    print(f"  QR token signed (Ed25519)       {median(token):7.2f}")
    print(f"  PDF/A-3B rendered               {median(render):7.2f}")
    print(f"  PAdES signature, {signed.level.level:<5}          {median(sign):7.2f}")
    print(f"  a diploma in all                {total:7.2f}   (goal: at most 100)")
    print(f"  baseline: one RSA-2048 signature {median(baseline):6.2f}")
    print(
        f"  {1000 / total:.1f} diplomas a second on one core; {median(sign) / total:.0%} of the "
        f"time in the PAdES signature; {total / median(baseline):.0f}x the bare RSA signature"
    )
    print(
        f"  a 5,000-graduate decision: about {5000 * total / 1000 / 60:.1f} min on one core, "
        f"{5000 * total / 2000 / 60:.1f} min on two; {median(sizes) / 1024:.0f} KiB a document"
    )


if __name__ == "__main__":
    main()
