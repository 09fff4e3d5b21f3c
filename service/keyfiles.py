"""Secret files (private keys, passphrases, PINs) are readable by their owner alone: a key
file that the group or others may read is refused, saying how to fix it, never used. The
public demo keys in keys-example/ are exempt: they are published on purpose (and refused in
production by other means)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class KeyFileModeError(PermissionError):
    """A secret file others may read."""


def read_secret(path: Path) -> bytes:
    """The file's bytes, once its mode is found to give nobody but its owner any access."""
    check_mode(path)
    return path.read_bytes()


def check_mode(path: Path) -> None:
    if os.name != "posix":  # Windows has ACLs, not modes
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileModeError(
            f"{path} is mode {mode:04o}: a secret file must be readable by its owner only; "
            f"run chmod 600 {path}"
        )


# What is secret in VANBANG_KEYS_DIR and VANBANG_DOC_SIGNING_DIR; certificates, chains and
# CRLs beside them are public.
SECRET_PATTERNS = ("*.pem", "*.key", "*.p12", "*.pfx", "*.pass")
PUBLIC_SUFFIXES = (".chain.pem", ".cert.pem", ".crt.pem")


def unsafe_files(*directories: Path) -> list[str]:
    """Every secret file in these directories (not their subdirectories) that others may
    read, each with how to fix it: checked when `vanbang serve` starts, so that a key copied
    with the wrong mode stops the service at once rather than failing a clerk's request."""
    found = []
    for directory in directories:
        if not directory.is_dir():
            continue
        for pattern in SECRET_PATTERNS:
            for path in sorted(directory.glob(pattern)):
                if path.is_file() and not path.name.endswith(PUBLIC_SUFFIXES):
                    try:
                        check_mode(path)
                    except KeyFileModeError as exc:
                        found.append(str(exc))
    return found
