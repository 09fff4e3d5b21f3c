"""Decoding QR codes in the tests with a real decoder (zxing-cpp)."""

from __future__ import annotations

from typing import Any

import zxingcpp


def decode_qr(image: Any) -> str:
    """The text of the one QR code in `image`. Only QR codes are asked for: scanning for every
    format, zxing-cpp may also report a spurious barcode inside a QR code's modules."""
    found = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert len(found) == 1, [f.format for f in found]
    return str(found[0].text)
