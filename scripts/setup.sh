#!/usr/bin/env bash
# One-time (and idempotent) set-up of a Debian 12 machine for building and testing Backdrop:
# Debian packages, a check for Swift, and the pinned models and media (scripts/fetch-assets.sh).
# Runs as root, or uses sudo. Does nothing costly when everything is already in place.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

packages=(
    # FFmpeg 5.1, libv4l2 and XNNPACK, which the system-library targets link.
    libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libavdevice-dev
    libv4l-dev libxnnpack-dev libpthreadpool-dev pkg-config
    # What the Swift toolchain needs to build and link on Debian 12.
    git gcc binutils libc6-dev libstdc++-12-dev libcurl4 libxml2 libsqlite3-0 libncurses6
    libedit2 zlib1g-dev tzdata
    # The ffmpeg CLI (test clips, demo), and Python for fetching wheels from PyPI.
    ffmpeg python3 python3-pip python3-venv unzip ca-certificates
    # systemd-analyze, for checking the installed units in the tests.
    systemd
)

# One dpkg-query for all: installed packages print "ii ", unknown ones print nothing.
installed=" $( (dpkg-query -W -f='${db:Status-Abbrev}${Package} \n' "${packages[@]}" 2>/dev/null || true) \
    | sed -n 's/^ii *\([^ :]*\).*/\1/p' | tr '\n' ' ')"
missing=()
for p in "${packages[@]}"; do
    [[ "$installed" == *" $p "* ]] || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install ${missing[*]} by hand"
        sudo=(sudo)
    fi
    say "installing Debian packages: ${missing[*]}"
    log="$(mktemp)"
    if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "apt-get failed (full log: $log)"
    fi
    rm -f "$log"
fi

require_swift
"$BACKDROP_ROOT/scripts/fetch-assets.sh" all
