#!/usr/bin/env bash
# Installs the pinned AWS emulator (moto server) into the project-local virtual
# environment .venv, unless the same pins are installed there already.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/scripts/emulator-requirements.txt"
venv="$root/.venv"
stamp="$venv/.rollcall-emulator.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { echo "rollcall: python3 is needed for the AWS emulator (moto); install Python 3.9 or later" >&2; exit 1; }
echo "rollcall: installing the AWS emulator (moto) into .venv ..." >&2
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
"$venv/bin/python" -c "import moto.server, flask, flask_cors" 
echo "$want" > "$stamp"
echo "rollcall: emulator ready ($("$venv/bin/python" -c 'import moto; print("moto", moto.__version__)'))" >&2
