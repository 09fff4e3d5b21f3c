"""Service settings: the only module that reads the environment.

Every setting is listed in `SETTINGS` with its variable, default and meaning; the README's
configuration table is checked against that list by a test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal, TypeVar

Environment = Literal["development", "production"]
LogFormat = Literal["json", "console"]


# The printed QR code's module in mm (docs/printing.md, "The QR code"): below 0.25 no phone
# reads it; above 2.0 a diploma's code would not fit its blank.
QR_MODULE_RANGE: Final = (0.25, 2.0)


class SettingsError(ValueError):
    """A setting in the environment has a value the service cannot use."""


@dataclass(frozen=True)
class SettingDoc:
    variable: str
    default: str
    meaning: str


SETTINGS: tuple[SettingDoc, ...] = (
    SettingDoc(
        "VANBANG_ENV",
        "development",
        "`development` or `production`; production refuses the demo data and keys and logs JSON.",
    ),
    SettingDoc(
        "DATABASE_URL",
        "(embedded)",
        "PostgreSQL URL of the primary. Unset: an "
        "embedded PostgreSQL is started in `VANBANG_DATA_DIR/pgdata`.",
    ),
    SettingDoc(
        "DATABASE_READ_URL",
        "(primary)",
        "PostgreSQL URL of a read replica for public lookups; checked by `/readyz` (public "
        "verification, a later release, reads from it).",
    ),
    SettingDoc(
        "VANBANG_DATA_DIR",
        "./.vanbang",
        "Directory for the embedded database and other local state.",
    ),
    SettingDoc(
        "VANBANG_KEYS_DIR",
        "VANBANG_DATA_DIR/keys",
        "Directory for issuers' private signing keys (`<kid>.pem`, mode 0600), the "
        "root key `root.pem`, the issuance log's key `log.pem` and the key sealing the "
        "holders' personal identification numbers and the staff's second-factor secrets "
        "`personal-id.key`; never the database.",
    ),
    SettingDoc(
        "VANBANG_PUBLIC_URL",
        "http://127.0.0.1:8080",
        "Base URL the public reaches the service at (printed in QR codes, a later release).",
    ),
    SettingDoc("VANBANG_HOST", "127.0.0.1", "Address to listen on."),
    SettingDoc("VANBANG_PORT", "8080", "Port to listen on."),
    SettingDoc(
        "VANBANG_LOG_FORMAT",
        "console (json in production)",
        "`json` lines or human-readable `console`.",
    ),
    SettingDoc("VANBANG_LOG_LEVEL", "info", "`debug`, `info`, `warning` or `error`."),
    SettingDoc("VANBANG_MAX_BODY_BYTES", "20971520", "Largest request body accepted (bytes)."),
    SettingDoc(
        "VANBANG_MAX_BATCH_ROWS", "5000", "Most graduates in one graduation decision request."
    ),
    SettingDoc(
        "VANBANG_MAX_LIST_ROWS",
        "50000",
        "Most graduates in one list checked in the console (registered in parts as a job).",
    ),
    SettingDoc(
        "VANBANG_JOB_ROWS",
        "1000",
        "A console list of more graduates than this is registered as a background job, and "
        "a decision of more diplomas is printed as one.",
    ),
    SettingDoc(
        "VANBANG_JOB_WORKERS",
        "1",
        "Background jobs run at once inside each `vanbang serve` process; 0 runs none there "
        "(then `vanbang worker` runs them).",
    ),
    SettingDoc(
        "VANBANG_JOB_HEARTBEAT_SECONDS",
        "10",
        "How often a job worker says it is alive; a job whose worker is silent three times "
        "as long is run again by another.",
    ),
    SettingDoc(
        "VANBANG_QR_MODULE_MM",
        "0.40",
        "Width in mm of one module of every printed QR code (0.25 to 2.0; phone cameras "
        "struggle below about 0.33), and the default of the QR images.",
    ),
    SettingDoc("VANBANG_DB_POOL_SIZE", "10", "Connections per pool."),
    SettingDoc(
        "VANBANG_RATE_LIMIT",
        "60",
        "QR checks (the /V/ page, /api/v1/verify) per minute per client (token bucket).",
    ),
    SettingDoc(
        "VANBANG_RATE_BURST",
        "20",
        "QR checks a client may send at once before the rate applies.",
    ),
    SettingDoc(
        "VANBANG_LOOKUP_RATE_LIMIT",
        "10",
        "Lookups by serial and date of birth per minute per client: strict, as a lookup "
        "could be a guess.",
    ),
    SettingDoc("VANBANG_LOOKUP_RATE_BURST", "10", "Lookups a client may send at once."),
    SettingDoc(
        "VANBANG_OPEN_RATE_LIMIT",
        "1200",
        "Requests per minute per client for what holds no personal data: the log (checkpoint, "
        "key, proofs, leaves), the trust list and the revocation lists.",
    ),
    SettingDoc("VANBANG_OPEN_RATE_BURST", "300", "Of those, requests a client may send at once."),
    SettingDoc(
        "VANBANG_REDIS_URL",
        "(none)",
        "Redis (redis://host:6379/0) shared by every process and machine for the rate limits; "
        "without it each process keeps its own.",
    ),
    SettingDoc(
        "VANBANG_REDIS_PREFIX",
        "vanbang",
        "The prefix of this service's keys in Redis, for services sharing one.",
    ),
    SettingDoc(
        "VANBANG_TRUSTED_PROXIES",
        "(none)",
        "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is "
        "believed.",
    ),
    SettingDoc(
        "VANBANG_METRICS_FROM",
        "127.0.0.1, ::1",
        "Comma-separated addresses or networks allowed to scrape `/metrics` (Prometheus); "
        "`none` turns it off. Everyone else gets 404 (docs/operations.md).",
    ),
    SettingDoc(
        "VANBANG_TRUST_REFRESH_SECONDS",
        "5",
        "How often the service checks whether issuers or keys changed (trust list).",
    ),
    SettingDoc(
        "VANBANG_RECEIPT_DAYS",
        "90",
        "Days a verification receipt (/bien-nhan/{code}) can be checked again after it is made.",
    ),
    SettingDoc(
        "VANBANG_WORKERS",
        "1",
        "Server processes sharing the port (SO_REUSEPORT); rate limits and verification "
        "counts are kept per process.",
    ),
    SettingDoc(
        "VANBANG_LOG_ORIGIN",
        "VANBANG_PUBLIC_URL without the scheme, then /log",
        "The issuance log's name, the first line of its checkpoints and its key's name; "
        "never change it once checkpoints are published.",
    ),
    SettingDoc(
        "VANBANG_LOG_AUDIT_HOURS",
        "24",
        "Job workers recheck the issuance log from the database (as `vanbang audit verify`) "
        "every this many hours, from 03:00 Vietnam time (1, 2, 3, 4, 6, 8, 12 or 24; 0: "
        "never); the results show on `/giam-sat/nhat-ky-phat-hanh`.",
    ),
    SettingDoc(
        "VANBANG_WITNESSES",
        "(none)",
        "The witnesses that cosign the issuance log's checkpoints, comma-separated, each its "
        "verifier key, a space and its URL (`witness.example/w1+1a2b3c4d+BASE64 "
        'https://witness.example`; docs/audit.md, "Witnesses"); every new checkpoint is '
        "sent to each, and /log/checkpoint carries their cosignatures.",
    ),
    SettingDoc(
        "VANBANG_WITNESS_TIMEOUT_SECONDS",
        "5",
        "How long the log waits for a witness's answer (1 to 60); one that does not answer is "
        "asked again later and never holds the log back.",
    ),
    SettingDoc(
        "VANBANG_SESSION_IDLE_MINUTES",
        "30",
        "A staff session ends after this many minutes without a request.",
    ),
    SettingDoc(
        "VANBANG_SESSION_HOURS",
        "12",
        "A staff session ends this many hours after sign-in, however busy.",
    ),
    SettingDoc(
        "VANBANG_SECOND_FACTOR_ROLES",
        "admin,auditor in production, none in development",
        "Roles that must use a second factor (TOTP) to sign in, comma-separated "
        "(`clerk`, `auditor`, `admin`), or `none`.",
    ),
    SettingDoc(
        "VANBANG_DOC_SIGNING_DIR",
        "VANBANG_KEYS_DIR/doc-signing",
        "Directory of the issuers' document-signing certificates and keys for the digital "
        "diplomas' PAdES signatures: `<CODE>.p12` with its passphrase in `<CODE>.pass`, or "
        "`<CODE>.key.pem` and `<CODE>.chain.pem`; CA certificates and CRLs in `ca/` "
        "(docs/digital-diplomas.md).",
    ),
    SettingDoc(
        "VANBANG_PKCS11_MODULE",
        "(none)",
        "Path of the PKCS#11 module of the USB token or HSM holding issuers' document-signing "
        "keys (e.g. /usr/lib/softhsm/libsofthsm2.so); each key and certificate labelled with "
        "its issuer's code.",
    ),
    SettingDoc("VANBANG_PKCS11_TOKEN", "(none)", "The label of the PKCS#11 token to use."),
    SettingDoc(
        "VANBANG_PKCS11_PIN_FILE",
        "(none)",
        "A file (mode 0600) holding the PKCS#11 token's user PIN.",
    ),
    SettingDoc(
        "VANBANG_PKCS11_PIN",
        "(none)",
        "The PKCS#11 token's user PIN, when no PIN file is set.",
    ),
    SettingDoc(
        "VANBANG_TSA_URL",
        "(none)",
        "RFC 3161 timestamp authority for the PAdES signatures (B-T, B-LTA); without it "
        "documents are signed B-B.",
    ),
    SettingDoc(
        "VANBANG_PDF_CA_ROOTS",
        "(none)",
        "CA root certificates (PEM files, comma-separated) that an uploaded digital diploma's "
        "signing certificate must chain to (`/kiem-tra-van-bang-so`, `/api/v1/verify-pdf`); "
        "with the demo enabled, the demo root too.",
    ),
    SettingDoc(
        "VANBANG_MAX_PDF_BYTES",
        "10485760",
        "Largest digital diploma (PDF) the public check takes (bytes); larger is refused (413).",
    ),
    SettingDoc(
        "VANBANG_DEMO",
        "1 when embedded, else 0",
        "Load the demo issuers, tokens and accounts from keys-example/ at start-up.",
    ),
)

_KNOWN = {doc.variable for doc in SETTINGS}


@dataclass(frozen=True)
class Settings:
    env: Environment = "development"
    database_url: str | None = None
    database_read_url: str | None = None
    data_dir: Path = field(default_factory=lambda: Path(".vanbang"))
    keys_dir: Path = field(default_factory=lambda: Path(".vanbang") / "keys")
    public_url: str = "http://127.0.0.1:8080"
    host: str = "127.0.0.1"
    port: int = 8080
    log_format: LogFormat = "console"
    log_level: str = "info"
    max_body_bytes: int = 20 * 1024 * 1024
    max_batch_rows: int = 5000
    max_list_rows: int = 50_000
    job_rows: int = 1000
    job_workers: int = 1
    job_heartbeat_seconds: float = 10.0
    qr_module_mm: float = 0.40
    db_pool_size: int = 10
    demo: bool = True
    rate_limit: int = 60
    rate_burst: int = 20
    lookup_rate_limit: int = 10
    lookup_rate_burst: int = 10
    open_rate_limit: int = 1200
    open_rate_burst: int = 300
    redis_url: str | None = None
    redis_prefix: str = "vanbang"
    trusted_proxies: str = ""
    metrics_from: str = "127.0.0.1, ::1"  # who may scrape /metrics; "" nobody
    trust_refresh_seconds: int = 5
    receipt_days: int = 90
    workers: int = 1
    log_origin: str = "127.0.0.1:8080/log"
    log_audit_hours: int = 24
    witnesses: tuple[tuple[str, str], ...] = ()  # (verifier key, URL)
    witness_timeout_seconds: int = 5
    session_idle_minutes: int = 30
    session_hours: int = 12
    second_factor_roles: frozenset[str] = frozenset()
    doc_signing_dir: Path = field(default_factory=lambda: Path(".vanbang") / "keys" / "doc-signing")
    pkcs11_module: str | None = None
    pkcs11_token: str | None = None
    pkcs11_pin_file: Path | None = None
    pkcs11_pin: str | None = None
    tsa_url: str | None = None
    pdf_ca_roots: tuple[Path, ...] = ()
    max_pdf_bytes: int = 10 * 1024 * 1024

    @property
    def secure_cookies(self) -> bool:
        """Cookies are sent over HTTPS only when the public reaches the service by HTTPS."""
        return self.public_url.startswith("https://")

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            assert name in _KNOWN, name  # every variable read must be documented
            value = env.get(name, "").strip()
            return value or None

        mode = get("VANBANG_ENV") or "development"
        if mode not in ("development", "production"):
            raise SettingsError(f"VANBANG_ENV must be development or production, not {mode!r}")
        database_url = get("DATABASE_URL")
        data_dir = Path(get("VANBANG_DATA_DIR") or ".vanbang")
        log_format = get("VANBANG_LOG_FORMAT") or ("json" if mode == "production" else "console")
        if log_format not in ("json", "console"):
            raise SettingsError(f"VANBANG_LOG_FORMAT must be json or console, not {log_format!r}")
        log_level = (get("VANBANG_LOG_LEVEL") or "info").lower()
        if log_level not in ("debug", "info", "warning", "error"):
            raise SettingsError(f"VANBANG_LOG_LEVEL {log_level!r} is not a level")
        public_url = (get("VANBANG_PUBLIC_URL") or "http://127.0.0.1:8080").rstrip("/")
        if not public_url.startswith(("http://", "https://")):
            raise SettingsError("VANBANG_PUBLIC_URL must start with http:// or https://")
        demo_default = "1" if database_url is None and mode == "development" else "0"
        demo = _flag("VANBANG_DEMO", get("VANBANG_DEMO") or demo_default)
        keys_dir = Path(get("VANBANG_KEYS_DIR") or data_dir / "keys")
        pin_file = get("VANBANG_PKCS11_PIN_FILE")
        if pin_file is not None and get("VANBANG_PKCS11_PIN") is not None:
            raise SettingsError("set VANBANG_PKCS11_PIN_FILE or VANBANG_PKCS11_PIN, not both")
        if demo and mode == "production":
            raise SettingsError("VANBANG_DEMO cannot be enabled with VANBANG_ENV=production")
        return cls(
            env=mode,  # type: ignore[arg-type]  # checked above
            database_url=database_url,
            database_read_url=get("DATABASE_READ_URL"),
            data_dir=data_dir,
            keys_dir=keys_dir,
            public_url=public_url,
            host=get("VANBANG_HOST") or "127.0.0.1",
            port=_int("VANBANG_PORT", get("VANBANG_PORT"), 8080, 1, 65535),
            log_format=log_format,  # type: ignore[arg-type]  # checked above
            log_level=log_level,
            max_body_bytes=_int(
                "VANBANG_MAX_BODY_BYTES",
                get("VANBANG_MAX_BODY_BYTES"),
                20 * 1024 * 1024,
                1024,
                1 << 31,
            ),
            max_batch_rows=_int(
                "VANBANG_MAX_BATCH_ROWS", get("VANBANG_MAX_BATCH_ROWS"), 5000, 1, 1_000_000
            ),
            max_list_rows=_int(
                "VANBANG_MAX_LIST_ROWS", get("VANBANG_MAX_LIST_ROWS"), 50_000, 1, 10_000_000
            ),
            job_rows=_int("VANBANG_JOB_ROWS", get("VANBANG_JOB_ROWS"), 1000, 1, 10_000_000),
            job_workers=_int("VANBANG_JOB_WORKERS", get("VANBANG_JOB_WORKERS"), 1, 0, 64),
            job_heartbeat_seconds=_int(
                "VANBANG_JOB_HEARTBEAT_SECONDS", get("VANBANG_JOB_HEARTBEAT_SECONDS"), 10, 1, 3600
            ),
            qr_module_mm=_float(
                "VANBANG_QR_MODULE_MM", get("VANBANG_QR_MODULE_MM"), 0.40, *QR_MODULE_RANGE
            ),
            db_pool_size=_int("VANBANG_DB_POOL_SIZE", get("VANBANG_DB_POOL_SIZE"), 10, 1, 500),
            demo=demo,
            rate_limit=_int("VANBANG_RATE_LIMIT", get("VANBANG_RATE_LIMIT"), 60, 1, 1_000_000),
            rate_burst=_int("VANBANG_RATE_BURST", get("VANBANG_RATE_BURST"), 20, 1, 1_000_000),
            lookup_rate_limit=_int(
                "VANBANG_LOOKUP_RATE_LIMIT", get("VANBANG_LOOKUP_RATE_LIMIT"), 10, 1, 1_000_000
            ),
            lookup_rate_burst=_int(
                "VANBANG_LOOKUP_RATE_BURST", get("VANBANG_LOOKUP_RATE_BURST"), 10, 1, 1_000_000
            ),
            open_rate_limit=_int(
                "VANBANG_OPEN_RATE_LIMIT", get("VANBANG_OPEN_RATE_LIMIT"), 1200, 1, 1_000_000
            ),
            open_rate_burst=_int(
                "VANBANG_OPEN_RATE_BURST", get("VANBANG_OPEN_RATE_BURST"), 300, 1, 1_000_000
            ),
            redis_url=_redis(get("VANBANG_REDIS_URL") or None),
            redis_prefix=get("VANBANG_REDIS_PREFIX") or "vanbang",
            trusted_proxies=_networks(get("VANBANG_TRUSTED_PROXIES") or ""),
            metrics_from=_metrics_from(get("VANBANG_METRICS_FROM")),
            receipt_days=_int("VANBANG_RECEIPT_DAYS", get("VANBANG_RECEIPT_DAYS"), 90, 1, 3650),
            workers=_int("VANBANG_WORKERS", get("VANBANG_WORKERS"), 1, 1, 64),
            log_origin=_origin(get("VANBANG_LOG_ORIGIN") or public_url.split("://", 1)[1] + "/log"),
            log_audit_hours=_audit_hours(get("VANBANG_LOG_AUDIT_HOURS")),
            witnesses=_witnesses(get("VANBANG_WITNESSES") or ""),
            witness_timeout_seconds=_int(
                "VANBANG_WITNESS_TIMEOUT_SECONDS", get("VANBANG_WITNESS_TIMEOUT_SECONDS"), 5, 1, 60
            ),
            session_idle_minutes=_int(
                "VANBANG_SESSION_IDLE_MINUTES", get("VANBANG_SESSION_IDLE_MINUTES"), 30, 1, 24 * 60
            ),
            session_hours=_int(
                "VANBANG_SESSION_HOURS", get("VANBANG_SESSION_HOURS"), 12, 1, 24 * 7
            ),
            second_factor_roles=_roles(
                get("VANBANG_SECOND_FACTOR_ROLES")
                or ("admin,auditor" if mode == "production" else "none")
            ),
            trust_refresh_seconds=_int(
                "VANBANG_TRUST_REFRESH_SECONDS", get("VANBANG_TRUST_REFRESH_SECONDS"), 5, 0, 3600
            ),
            doc_signing_dir=Path(get("VANBANG_DOC_SIGNING_DIR") or keys_dir / "doc-signing"),
            pkcs11_module=get("VANBANG_PKCS11_MODULE"),
            pkcs11_token=get("VANBANG_PKCS11_TOKEN"),
            pkcs11_pin_file=Path(pin_file) if pin_file is not None else None,
            pkcs11_pin=get("VANBANG_PKCS11_PIN"),
            tsa_url=_http_url("VANBANG_TSA_URL", get("VANBANG_TSA_URL")),
            pdf_ca_roots=tuple(
                Path(p.strip()) for p in (get("VANBANG_PDF_CA_ROOTS") or "").split(",") if p.strip()
            ),
            max_pdf_bytes=_int(
                "VANBANG_MAX_PDF_BYTES",
                get("VANBANG_MAX_PDF_BYTES"),
                10 * 1024 * 1024,
                1024,
                1 << 30,
            ),
        )


def _int(name: str, raw: str | None, default: int, low: int, high: int) -> int:
    return _bounded(name, raw, default, low, high, int, "a whole number")


def _float(name: str, raw: str | None, default: float, low: float, high: float) -> float:
    return _bounded(name, raw, default, low, high, float, "a number")


N = TypeVar("N", int, float)


def _bounded(
    name: str, raw: str | None, default: N, low: N, high: N, parse: Callable[[str], N], what: str
) -> N:
    if raw is None:
        return default
    try:
        value = parse(raw)
    except ValueError:
        raise SettingsError(f"{name} must be {what}, not {raw!r}") from None
    if not low <= value <= high:  # a float's NaN too
        raise SettingsError(f"{name} must be between {low} and {high}, not {raw}")
    return value


def _origin(raw: str) -> str:
    # A note's origin and key name: one line of printable text without "+" or spaces.
    if not raw.isprintable() or any(ch in raw for ch in " +\n") or len(raw) > 200:
        raise SettingsError(f"VANBANG_LOG_ORIGIN must be one word of printable text, not {raw!r}")
    return raw


def _witnesses(raw: str) -> tuple[tuple[str, str], ...]:
    from verifier.cosignature import parse_witness_vkey
    from verifier.errors import NoteError

    found = []
    for entry in (e.strip() for e in raw.split(",")):
        if not entry:
            continue
        parts = entry.split()
        if len(parts) != 2 or not parts[1].startswith(("http://", "https://")):
            raise SettingsError(
                "VANBANG_WITNESSES is a comma-separated list of `VKEY URL` (the witness's "
                f"verifier key, a space, its http(s) URL), not {entry!r}"
            )
        try:
            parse_witness_vkey(parts[0])
        except NoteError as exc:
            raise SettingsError(f"VANBANG_WITNESSES: {exc}") from None
        found.append((parts[0], parts[1].rstrip("/")))
    if len({vkey for vkey, _ in found}) != len(found):
        raise SettingsError("VANBANG_WITNESSES names a witness twice")
    return tuple(found)


def _http_url(name: str, raw: str | None) -> str | None:
    if raw is not None and not raw.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must be an http:// or https:// URL, not {raw!r}")
    return raw


def _redis(raw: str | None) -> str | None:
    if raw is not None and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(
            "VANBANG_REDIS_URL must be a redis://, rediss:// or unix:// URL, such as "
            "redis://127.0.0.1:6379/0"
        )
    return raw


def _audit_hours(raw: str | None) -> int:
    # The schedule starts at the same hour every day: the hours divide the day.
    hours = _int("VANBANG_LOG_AUDIT_HOURS", raw, 24, 0, 24)
    if hours and 24 % hours:
        raise SettingsError(
            f"VANBANG_LOG_AUDIT_HOURS must divide a day (1, 2, 3, 4, 6, 8, 12, 24) or be 0, "
            f"not {hours}"
        )
    return hours


def _networks(raw: str, variable: str = "VANBANG_TRUSTED_PROXIES") -> str:
    from service.ratelimit import parse_networks

    try:
        parse_networks(raw)
    except ValueError as exc:
        raise SettingsError(f"{variable}: {exc}") from None
    return raw


def _metrics_from(raw: str | None) -> str:
    if raw is None:
        return Settings.metrics_from
    if raw.strip().lower() == "none":
        return ""
    return _networks(raw, "VANBANG_METRICS_FROM")


def _roles(raw: str) -> frozenset[str]:
    if raw.strip().lower() == "none":
        return frozenset()
    roles = frozenset(part.strip().lower() for part in raw.split(",") if part.strip())
    unknown = roles - {"clerk", "auditor", "admin"}
    if unknown:
        raise SettingsError(
            f"VANBANG_SECOND_FACTOR_ROLES: {', '.join(sorted(unknown))} is not a role "
            "(clerk, auditor, admin, or none)"
        )
    return roles


def _flag(name: str, raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0, not {raw!r}")
