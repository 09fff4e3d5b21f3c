"""The legally recognised signature of a document: PAdES (ETSI EN 319 142) with the issuer's
X.509 certificate, made by pyHanko. The format choice lives here and only here.

What a signature reaches depends on what is configured (docs/digital-diplomas.md,
"Signature levels"):

- B-B: the CMS signature with the signing certificate; always.
- B-T: an RFC 3161 timestamp on the signature, from VANBANG_TSA_URL.
- B-LT: the chain's certificates and their revocation status (CRL or OCSP, fetched from the
  addresses in the certificates, or the signer's known CRLs) in the document security store.
- B-LTA: a document timestamp over all of it, when a timestamp authority is configured.

Without a timestamp authority the signature is B-B, with what revocation data could be
embedded, and `SignatureLevel` says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from dataclasses import dataclass

import aiohttp
from asn1crypto.crl import CertificateList
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from service.docsign.signers import DocumentSigner, is_root

FORMAT = "PAdES"  # ETSI EN 319 142-1; Circular 15/2025 lists PAdES for PDF (as reported)
SUBFILTER = SigSeedSubFilter.PADES  # /ETSI.CAdES.detached
DIGEST = "sha256"
FIELD = "ChuKySo"  # the signature field's name
# What the signing certificate's key usage must allow: a signature that commits its signer.
KEY_USAGE = frozenset({"non_repudiation"})
TSA_TIMEOUT_SECONDS = 10


class _KnownRevocationOnly(logging.Filter):
    """pyHanko warns at every signature whose revocation data is given rather than fetched
    (the demo chain's CRLs): expected here, and one line per diploma would flood the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_KnownRevocationOnly())


@dataclass(frozen=True)
class SignatureLevel:
    """What a signature reached, for the document to say."""

    level: str  # "B-B", "B-T", "B-LT" or "B-LTA" (PAdES baseline levels)
    timestamped: bool  # an RFC 3161 timestamp on the signature
    revocation_embedded: bool  # the signing certificate's CRL or OCSP status in the DSS
    archive_timestamp: bool  # a document timestamp after the DSS

    @property
    def name(self) -> str:
        return f"{FORMAT} {self.level}"


@dataclass(frozen=True)
class SignedPdf:
    pdf: bytes
    level: SignatureLevel


def validation_context(
    signer: DocumentSigner, session: aiohttp.ClientSession | None = None
) -> ValidationContext | None:
    """What checks the signer's chain at signing time and gathers its revocation data: its
    root (and the other self-signed CAs it knows) trusted, the known CRLs, and fetching when
    the signer allows it. None when the chain does not reach a root: nothing to embed then."""
    roots = [c for c in (*signer.chain, *signer.cas) if is_root(c)]
    if not roots:
        return None
    return ValidationContext(
        trust_roots=roots,
        other_certs=[*signer.chain, *signer.cas],
        crls=list(signer.crls),
        allow_fetching=signer.fetch_revocation,
        fetcher_backend=AIOHttpFetcherBackend(session) if session is not None else None,
        # Embed what can be found; the level reached is read back from the document.
        revocation_mode="soft-fail",
    )


async def async_sign_pdf(
    pdf: bytes,
    signer: DocumentSigner,
    *,
    tsa_url: str | None = None,
    timestamper: TimeStamper | None = None,
) -> SignedPdf:
    """Signs `pdf` (appended as an incremental update, so the signed bytes start with it)."""
    online = tsa_url is not None or signer.fetch_revocation
    # One HTTP session for the timestamp authority and the CRL and OCSP fetches, closed when
    # the document is signed.
    async with aiohttp.ClientSession() if online else contextlib.nullcontext() as session:
        if timestamper is None and tsa_url is not None:
            timestamper = HTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT_SECONDS, session=session)
        return await _sign(pdf, signer, validation_context(signer, session), timestamper)


async def _sign(
    pdf: bytes,
    signer: DocumentSigner,
    context: ValidationContext | None,
    stamper: TimeStamper | None,
) -> SignedPdf:
    embed = context is not None
    meta = PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm=DIGEST,
        subfilter=SUBFILTER,
        embed_validation_info=embed,
        validation_context=context,
        use_pades_lta=embed and stamper is not None,
        signer_key_usage=set(KEY_USAGE),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = await PdfSigner(meta, signer.signer, timestamper=stamper).async_sign_pdf(writer)
    assert isinstance(out, io.BytesIO)
    signed = out.getvalue()
    return SignedPdf(signed, _level(signed, signer, timestamped=stamper is not None))


def sign_pdf(
    pdf: bytes,
    signer: DocumentSigner,
    *,
    tsa_url: str | None = None,
    timestamper: TimeStamper | None = None,
) -> SignedPdf:
    """`async_sign_pdf` for a thread without an event loop (a job's signing thread)."""
    return asyncio.run(async_sign_pdf(pdf, signer, tsa_url=tsa_url, timestamper=timestamper))


def _level(signed: bytes, signer: DocumentSigner, *, timestamped: bool) -> SignatureLevel:
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    revocation = False
    if "/DSS" in reader.root:
        dss = DocumentSecurityStore.read_dss(reader)
        issuers = {CertificateList.load(ref.get_object().data).issuer.dump() for ref in dss.crls}
        revocation = bool(dss.ocsps) or signer.certificate.issuer.dump() in issuers
    archive = len(reader.embedded_timestamp_signatures) > 0
    if not timestamped:
        level = "B-B"
    elif not revocation:
        level = "B-T"
    else:
        level = "B-LTA" if archive else "B-LT"
    return SignatureLevel(level, timestamped, revocation, archive)
