"""Reading the QR code in a photo or scan (the `image` extra: zxing-cpp and Pillow)."""

from __future__ import annotations

from pathlib import Path

from verifier.errors import MalformedError


def read_qr(path: Path) -> str:
    """The text of the one QR code in the image; MalformedError if there is none."""
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:  # pragma: no cover - depends on how vanbang was installed
        raise MalformedError(
            "reading images needs the image extra: pip install 'vanbang[image]'"
        ) from None
    with Image.open(path) as image:
        # Only QR codes: scanning for every format may find a spurious barcode inside one.
        qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        found = list(zxingcpp.read_barcodes(image, formats=qr_only))
    if not found:
        raise MalformedError(f"no QR code found in {path}")
    if len(found) > 1:
        raise MalformedError(f"{len(found)} QR codes in {path}; crop it to one")
    return str(found[0].text)
