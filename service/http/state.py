"""Typed application state."""

from __future__ import annotations

from typing import Any

import asyncpg
from aiohttp import web

from service.db.standing import StandingReader
from service.docsign.registry import DocSigners
from service.ratelimit import Limits
from service.settings import Settings
from service.signing import Signing
from service.tlog.sequencer import LogSigner
from service.tlog.tiles import TileCache
from service.usecases.counting import VerificationCounter
from service.usecases.trust_list import TrustListCache
from service.usecases.verification import CheckedTokens

SETTINGS = web.AppKey("settings", Settings)
# asyncpg.Pool is generic only in its stubs, so the type is given as an annotation.
POOL: web.AppKey[asyncpg.Pool[Any]] = web.AppKey("pool")
READ_POOL: web.AppKey[asyncpg.Pool[Any]] = web.AppKey("read_pool")
# QR checks read the register in batches, from the read pool when there is one.
STANDING = web.AppKey("standing", StandingReader)
SIGNING = web.AppKey("signing", Signing)
RATE_LIMITER = web.AppKey("rate_limiter", Limits)
PROXIES = web.AppKey("trusted_proxies", tuple)
COUNTER = web.AppKey("verification_counter", VerificationCounter)
CHECKED = web.AppKey("checked_tokens", CheckedTokens)
TRUST_LIST = web.AppKey("trust_list", TrustListCache)
LOG_SIGNER = web.AppKey("log_signer", LogSigner)
LOG_TILES = web.AppKey("log_tiles", TileCache)  # the full tiles last served
DOC_SIGNERS = web.AppKey("doc_signers", DocSigners)
# The CA roots an uploaded digital diploma's signing certificate must chain to.
PDF_ROOTS: web.AppKey[tuple[Any, ...]] = web.AppKey("pdf_ca_roots")
