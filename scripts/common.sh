# shellcheck shell=bash
# Sourced by the other scripts: repository root, cache locations, Swift on PATH, small helpers.
# Every location can be overridden from the environment; tests read BACKDROP_MODELS/BACKDROP_MEDIA.

BACKDROP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BACKDROP_ROOT
export BACKDROP_CACHE="${BACKDROP_CACHE:-$HOME/.cache/backdrop}"
export BACKDROP_MODELS="${BACKDROP_MODELS:-$BACKDROP_CACHE/models}"
export BACKDROP_MEDIA="${BACKDROP_MEDIA:-$BACKDROP_CACHE/media}"
BACKDROP_WHEELS="${BACKDROP_WHEELS:-$BACKDROP_CACHE/wheels}"
BACKDROP_VENV="${BACKDROP_VENV:-$BACKDROP_CACHE/venv-mediapipe}"

# The toolchain lives in /opt/swift on our machines but is not always on PATH (e.g. under sudo).
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# True when the file exists and has the expected SHA-256.
has_hash() { [ -f "$1" ] && [ "$(sha256_of "$1")" = "$2" ]; }

require_swift() {
    command -v swift >/dev/null 2>&1 || die "swift not found on PATH nor in /opt/swift/usr/bin.
Install the Swift 6.3 toolchain for Debian 12 under /opt/swift (or put its usr/bin on PATH) and re-run."
}

# Downloads WHEEL (for PACKAGE==VERSION) into the wheel cache unless it is there with HASH.
fetch_wheel() {
    local package="$1" wheel="$2" hash="$3" path="$BACKDROP_WHEELS/$2"
    has_hash "$path" "$hash" && return 0
    rm -f "$path"
    mkdir -p "$BACKDROP_WHEELS"
    say "downloading $wheel"
    # --platform matches manylinux wheels and pure-python ('any') wheels alike.
    python3 -m pip download --quiet --no-deps --only-binary=:all: \
        --python-version 3.11 --platform manylinux2014_x86_64 \
        --dest "$BACKDROP_WHEELS" "$package" </dev/null >&2 \
        || die "pip could not download $package (is PyPI reachable?)"
    [ -f "$path" ] || die "pip downloaded $package but not $wheel; found: $(ls "$BACKDROP_WHEELS")"
    local got; got="$(sha256_of "$path")"
    if [ "$got" != "$hash" ]; then
        rm -f "$path"
        die "$wheel has SHA-256 $got, the manifest pins $hash: refusing it.
If PyPI really changed the file, check it and update the manifest."
    fi
}

# Builds the release `backdrop` (quietly; the log is shown on failure) and prints its path.
# BACKDROP_SCRATCH=DIR (relative to the repository) builds in DIR instead of .build.
build_release() {
    require_swift
    local scratch log="$BACKDROP_CACHE/release-build.log"
    scratch="$(cd "$BACKDROP_ROOT" && realpath -m "${BACKDROP_SCRATCH:-.build}")"
    mkdir -p "$BACKDROP_CACHE"
    say "building the release binary (log: $log)"
    (cd "$BACKDROP_ROOT" && swift build -c release -j 2 --scratch-path "$scratch" --product backdrop) \
        >"$log" 2>&1 || { tail -n 40 "$log" >&2; die "release build failed (full log: $log)"; }
    echo "$scratch/release/backdrop"
}
