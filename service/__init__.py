"""vanbang: the diploma register and verification service (Circular 21/2019/TT-BGDĐT)."""

__version__ = "0.1.0"
