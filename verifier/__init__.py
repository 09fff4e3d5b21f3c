"""vanbang's offline verifier: checks diploma QR tokens against a trust list.

It stands alone and imports nothing from the service. The token format and its verification
arrive with the signing release; until then the package holds only its command line.
"""

__all__: list[str] = []
