"""Secret files readable by their owner only (service/keyfiles.py): a key, passphrase or PIN
file that others may read is refused, saying how to fix it; `vanbang serve` refuses to start
with one in its keys directories; the keys it makes itself are 0600 from the start."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from service.keystore import KeyStore, KeyStoreError
from tests.conftest import ROOT
from tests.running import run_vanbang

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def test_a_key_others_may_read_is_refused_and_one_made_here_is_0600(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    made = store.create_issuer_key()
    path = tmp_path / f"{made.kid.hex()}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert KeyStore(tmp_path).issuer_key(made.kid) is not None
    path.chmod(0o644)
    with pytest.raises(KeyStoreError, match="chmod 600"):
        KeyStore(tmp_path).issuer_key(made.kid)
    # The public demo keys are read whatever their mode: they are published on purpose.
    demo = KeyStore(tmp_path / "empty", ROOT / "keys-example")
    assert demo.root_key() is not None


async def test_serve_refuses_to_start_with_a_secret_file_others_may_read(
    db_url: str, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "personal-id.key").write_text("x\n")  # the default umask: 0644
    code, _, err = await run_vanbang(db_url, "serve", "--port", "1", VANBANG_KEYS_DIR=str(keys))
    assert code == 2
    assert "personal-id.key is mode 0644" in err
    assert "chmod 600" in err
    (keys / "personal-id.key").chmod(0o600)
    signing = keys / "doc-signing"
    signing.mkdir()
    (signing / "SGDDT-HN.chain.pem").write_text("public\n")  # a chain is public: fine
    (signing / "SGDDT-HN.key.pem").write_text("secret\n")
    code, _, err = await run_vanbang(db_url, "serve", "--port", "1", VANBANG_KEYS_DIR=str(keys))
    assert code == 2
    assert "SGDDT-HN.key.pem is mode 0644" in err
    assert "chain.pem" not in err
