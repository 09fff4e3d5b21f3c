"""Private signing keys: PEM files named `<kid hex>.pem` in VANBANG_KEYS_DIR (mode 0600), and
the root key that signs the trust list, `root.pem`, and the log key that signs checkpoints,
`log.pem`; and the secret that seals the holders' personal identification numbers,
`personal-id.key` (service/sealing.py). Nothing here ever reaches the database or the logs.

With the demo enabled, keys-example/ is searched too; in production the service refuses to
run with any of those public demo keys.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.keyfiles import KeyFileModeError, read_secret
from service.resources import demo_dir
from service.sealing import PersonalIdKey, SecondFactorSeal, new_secret_text, parse_secret
from verifier.keys import kid_for, load_private_pem, private_pem, public_pem

ROOT_FILE = "root.pem"
LOG_FILE = "log.pem"
PERSONAL_ID_FILE = "personal-id.key"
# Published on purpose, whatever their mode (production refuses them by other means).
PUBLIC_DEMO = demo_dir().resolve()


class KeyStoreError(RuntimeError):
    """A key file is missing, unreadable, or a demo key where production forbids it."""


@dataclass(frozen=True)
class IssuerKey:
    kid: bytes
    private_key: Ed25519PrivateKey


def demo_kids(demo_dir: Path) -> set[bytes]:
    data = json.loads((demo_dir / "demo.json").read_text(encoding="utf-8"))
    special = [data["root"]["kid"], data["log"]["kid"]]
    return {bytes.fromhex(k["kid"]) for k in data["keys"]} | {bytes.fromhex(k) for k in special}


class KeyStore:
    def __init__(self, keys_dir: Path, demo_dir: Path | None = None) -> None:
        self.keys_dir = keys_dir
        self.demo_dir = demo_dir
        self._cache: dict[bytes, IssuerKey] = {}
        self._sealing: bytes | None = None
        self._personal_id: PersonalIdKey | None = None
        self._second_factor: SecondFactorSeal | None = None

    def _candidates(self, name: str) -> list[Path]:
        paths = [self.keys_dir / name]
        if self.demo_dir is not None:
            paths += [self.demo_dir / "keys" / name, self.demo_dir / name]
        return paths

    def _read(self, path: Path) -> bytes:
        """A key file's bytes; one of VANBANG_KEYS_DIR must be mode 0600 (service/keyfiles.py),
        the public demo keys (keys-example/, wherever they are read from) need not."""
        if path.is_relative_to(self.keys_dir) and not path.resolve().is_relative_to(PUBLIC_DEMO):
            try:
                return read_secret(path)
            except KeyFileModeError as exc:
                raise KeyStoreError(str(exc)) from None
        return path.read_bytes()

    def _load(self, name: str) -> Ed25519PrivateKey | None:
        for path in self._candidates(name):
            if path.is_file():
                try:
                    return load_private_pem(self._read(path))
                except (ValueError, TypeError) as exc:
                    raise KeyStoreError(f"{path}: not an Ed25519 private key ({exc})") from None
        return None

    def issuer_key(self, kid: bytes) -> IssuerKey | None:
        """The private key with this id, or None when no file holds it."""
        cached = self._cache.get(kid)
        if cached is not None:
            return cached
        key = self._load(f"{kid.hex()}.pem")
        if key is None:
            return None
        if kid_for(key.public_key()) != kid:
            raise KeyStoreError(f"{kid.hex()}.pem holds another key")
        found = IssuerKey(kid, key)
        self._cache[kid] = found
        return found

    def root_key(self) -> Ed25519PrivateKey | None:
        return self._load(ROOT_FILE)

    def log_key(self) -> Ed25519PrivateKey | None:
        """The note key that signs the issuance log's checkpoints."""
        return self._load(LOG_FILE)

    def _sealing_secret(self) -> bytes | None:
        """The secret of `personal-id.key` (service/sealing.py), or None without the file."""
        if self._sealing is not None:
            return self._sealing
        for path in self._candidates(PERSONAL_ID_FILE):
            if path.is_file():
                try:
                    self._sealing = parse_secret(self._read(path).decode("ascii"))
                except (ValueError, UnicodeDecodeError) as exc:
                    raise KeyStoreError(f"{path}: not a personal-id key ({exc})") from None
                return self._sealing
        return None

    def personal_id_key(self) -> PersonalIdKey | None:
        """The key sealing the personal identification numbers, or None without its file."""
        if self._personal_id is None and (secret := self._sealing_secret()) is not None:
            self._personal_id = PersonalIdKey(secret)
        return self._personal_id

    def second_factor_seal(self) -> SecondFactorSeal | None:
        """The key sealing the staff's TOTP secrets (from the same file), or None."""
        if self._second_factor is None and (secret := self._sealing_secret()) is not None:
            self._second_factor = SecondFactorSeal(secret)
        return self._second_factor

    def create_personal_id_key(self) -> PersonalIdKey:
        if (self.keys_dir / PERSONAL_ID_FILE).exists():
            raise KeyStoreError(f"{self.keys_dir / PERSONAL_ID_FILE} exists already")
        text = new_secret_text()
        self._write(PERSONAL_ID_FILE, text.encode("ascii"))
        return PersonalIdKey(parse_secret(text))

    def create_log_key(self) -> Ed25519PrivateKey:
        if (self.keys_dir / LOG_FILE).exists():
            raise KeyStoreError(f"{self.keys_dir / LOG_FILE} exists already")
        key = Ed25519PrivateKey.generate()
        self._write(LOG_FILE, private_pem(key))
        return key

    def create_issuer_key(self) -> IssuerKey:
        key = Ed25519PrivateKey.generate()
        kid = kid_for(key.public_key())
        self._write(f"{kid.hex()}.pem", private_pem(key))
        return IssuerKey(kid, key)

    def create_root_key(self) -> Ed25519PrivateKey:
        if (self.keys_dir / ROOT_FILE).exists():
            raise KeyStoreError(f"{self.keys_dir / ROOT_FILE} exists already")
        key = Ed25519PrivateKey.generate()
        self._write(ROOT_FILE, private_pem(key))
        (self.keys_dir / "root.pub.pem").write_bytes(public_pem(key.public_key()))
        return key

    def _write(self, name: str, data: bytes) -> None:
        self.keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.keys_dir / name
        # Created 0600 from the start: the key is never readable by others, even briefly.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)

    def refuse_demo_keys(self, demo_dir: Path, active_kids: set[bytes]) -> None:
        """For production: raises if any demo key could sign anything."""
        banned = demo_kids(demo_dir)
        if self.keys_dir.resolve() == demo_dir.resolve():
            raise KeyStoreError("VANBANG_KEYS_DIR points at the public demo keys")
        used = active_kids & banned
        if used:
            raise KeyStoreError(
                "demo keys are active issuer keys: " + ", ".join(sorted(k.hex() for k in used))
            )
        root = self.root_key()
        if root is not None and kid_for(root.public_key()) in banned:
            raise KeyStoreError("the root key is the public demo root key")
        log_key = self.log_key()
        if log_key is not None and kid_for(log_key.public_key()) in banned:
            raise KeyStoreError("the log key is the public demo log key")
        own = self.keys_dir / PERSONAL_ID_FILE
        demo_secret = demo_dir / PERSONAL_ID_FILE
        if own.is_file() and demo_secret.is_file():
            mine = PersonalIdKey(parse_secret(own.read_text(encoding="ascii")))
            demo = PersonalIdKey(parse_secret(demo_secret.read_text(encoding="ascii")))
            if mine.key_id == demo.key_id:
                raise KeyStoreError(f"{own} is the public demo personal-id key")
        for path in self.keys_dir.glob("*.pem") if self.keys_dir.is_dir() else []:
            try:
                kid = kid_for(load_private_pem(path.read_bytes()).public_key())
            except (ValueError, TypeError):
                continue
            if kid in banned:
                raise KeyStoreError(f"{path} is a public demo key")
