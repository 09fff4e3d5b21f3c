# Sourced by scripts/serve and scripts/test: a project-local virtual environment.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${VANBANG_VENV:-$root/.venv}"
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "vanbang needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 2
fi
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi

# What an install of "$1" into this venv depends on: pyproject.toml, the venv's Python and
# where the venv and the checkout are.
_install_key() {
    "$venv/bin/python" - "$root/pyproject.toml" "$venv" "$1" <<'PY'
import hashlib
import sys

pyproject, venv, spec = sys.argv[1:]
with open(pyproject, "rb") as file:
    parts = (file.read(), sys.version.encode(), venv.encode(), spec.encode())
print(hashlib.sha256(b"".join(hashlib.sha256(part).digest() for part in parts)).hexdigest())
PY
}

# vanbang_install EXTRAS [ALSO...]: pip install -e ".[EXTRAS]" (just "." when EXTRAS is
# empty), and the pip upgrade before it, unless this venv already holds that install or one
# of ".[ALSO]" (which include it), made from the same pyproject.toml: a stamp in the venv
# records each. A fresh venv has none and installs; delete .venv/.vanbang-installed* to
# install again anyway.
vanbang_install() {
    local extras="$1" spec stamp also
    shift
    for also in "$extras" "$@"; do
        spec="$root${also:+[$also]}"
        stamp="$venv/.vanbang-installed${also:+-$also}"
        if [ -f "$stamp" ] && [ -x "$venv/bin/vanbang" ] &&
            [ "$(cat "$stamp")" = "$(_install_key "$spec")" ]; then
            return 0
        fi
    done
    spec="$root${extras:+[$extras]}"
    stamp="$venv/.vanbang-installed${extras:+-$extras}"
    rm -f "$stamp"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec"
    _install_key "$spec" >"$stamp"
}
