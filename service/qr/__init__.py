"""QR codes for diplomas: the symbol, its PNG and SVG images, and printable sheets."""
