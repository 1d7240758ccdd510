#!/usr/bin/env bash
# Makes (once) a Python 3.11 venv with MediaPipe 0.10.14 for the reference fixtures and the
# MediaPipe benchmark, and prints its interpreter's path. Rebuilt only when the pins change.
# usage: PY="$(scripts/python-env.sh)"
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

requirements="$BACKDROP_ROOT/scripts/requirements-mediapipe.txt"
# The mediapipe wheel and its hash, from the models manifest (both models share the wheel).
read -r package wheel wheel_hash < <(awk -F'\t' '!/^#/ && NF >= 8 { print $3, $4, $5; exit }' \
    "$BACKDROP_ROOT/Models/manifest.tsv")
stamp="$BACKDROP_VENV/.backdrop-stamp"
want="$wheel_hash $(sha256_of "$requirements")"

if [ -x "$BACKDROP_VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "$BACKDROP_VENV/bin/python"
    exit 0
fi

# mediapipe 0.10.14 has wheels for CPython 3.8-3.12; pin 3.11 (Debian 12's python3).
python=""
for candidate in python3.11 python3 /usr/bin/python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && [ "$("$candidate" -c 'import sys; print(sys.version_info[:2] == (3, 11))')" = True ]; then
        python="$candidate"; break
    fi
done
[ -n "$python" ] || die "Python 3.11 not found (apt-get install python3 python3-venv on Debian 12)"

fetch_wheel "$package" "$wheel" "$wheel_hash"
say "creating $BACKDROP_VENV (mediapipe 0.10.14 and pinned dependencies)"
rm -rf "$BACKDROP_VENV"
"$python" -m venv "$BACKDROP_VENV"
"$BACKDROP_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --only-binary=:all: "$BACKDROP_WHEELS/$wheel" -r "$requirements" </dev/null >&2
echo "$want" > "$stamp"
echo "$BACKDROP_VENV/bin/python"
