"""The `vanbang-verify` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="vanbang-verify", description="Verify a vanbang diploma QR code offline."
    )
    parser.add_argument("token", nargs="?", help="the QR text or its URL")
    parser.parse_args(argv)
    print(
        "vanbang-verify: this release cannot verify tokens yet; signed diplomas and their "
        "verification come with the signing release",
        file=sys.stderr,
    )
    return 2
