"""Digital diplomas (văn bằng số, Circular 10/2026; docs/digital-diplomas.md): the diploma
rendered in its layout with what its blank would carry, as PDF/A-3 with the signed register
record attached, then signed with the issuer's organisation certificate (PAdES)."""
