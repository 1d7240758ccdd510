#!/usr/bin/env bash
# Installs Backdrop: the binary, the systemd units (system and user), the example configuration,
# the segmentation models with their licence, the docs, and the v4l2loopback module settings.
#
# usage: [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc] [BACKDROP_BIN=path] scripts/install.sh
#
#   PREFIX      where bin/, share/ and lib/systemd/ go (default /usr/local; systemd searches
#               /usr/local/lib/systemd/{system,user} too)
#   DESTDIR     staging root for packaging: every file lands under it, paths inside files do not
#   SYSCONFDIR  /etc by default: backdrop/backdrop.toml (only if absent), modules-load.d, modprobe.d
#   BACKDROP_BIN  a built binary to install; default: a release build of this checkout
#
# A live install (no DESTDIR, SYSCONFDIR=/etc, run as root) also creates the `backdrop` system
# user (in the video group) and reloads systemd. The list of installed files goes to
# $PREFIX/share/backdrop/install-manifest.txt for scripts/uninstall.sh.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
SYSCONFDIR="${SYSCONFDIR:-/etc}"
bindir="$PREFIX/bin"
datadir="$PREFIX/share"
docdir="$datadir/doc/backdrop"
unitdir="$PREFIX/lib/systemd/system"
userunitdir="$PREFIX/lib/systemd/user"
manifest="$datadir/backdrop/install-manifest.txt"

case "$PREFIX" in /*) ;; *) die "PREFIX must be an absolute path, got '$PREFIX'" ;; esac

binary="${BACKDROP_BIN:-}"
if [ -z "$binary" ]; then binary="$(build_release)"; fi
[ -x "$binary" ] || die "no executable backdrop at '$binary' (set BACKDROP_BIN or let the script build one)"

# The models: fetched and verified into the cache if they are not there yet.
models=(selfie_segmentation_landscape.tflite selfie_segmentation.tflite)
for model in "${models[@]}"; do
    [ -f "$BACKDROP_MODELS/$model" ] || { "$BACKDROP_ROOT/scripts/fetch-assets.sh" models; break; }
done

installed=()
# put MODE SOURCE TARGET: installs one file under DESTDIR and records it.
put() {
    install -D -m "$1" "$2" "$DESTDIR$3"
    installed+=("$3")
}
# put_unit SOURCE TARGET: a unit with its paths filled in.
put_unit() {
    local tmp; tmp="$(mktemp)"
    sed -e "s|@BINDIR@|$bindir|g" -e "s|@DATADIR@|$datadir|g" -e "s|@DOCDIR@|$docdir|g" \
        -e "s|@SYSCONFDIR@|$SYSCONFDIR|g" "$1" > "$tmp"
    put 0644 "$tmp" "$2"
    rm -f "$tmp"
}

put 0755 "$binary" "$bindir/backdrop"
for model in "${models[@]}"; do put 0644 "$BACKDROP_MODELS/$model" "$datadir/backdrop/models/$model"; done
put 0644 "$BACKDROP_ROOT/Models/LICENSE-mediapipe.txt" "$datadir/backdrop/models/LICENSE-mediapipe.txt"
put 0644 "$BACKDROP_ROOT/Models/NOTICE" "$datadir/backdrop/models/NOTICE"
put_unit "$BACKDROP_ROOT/systemd/backdrop.service" "$unitdir/backdrop.service"
put_unit "$BACKDROP_ROOT/systemd/backdrop-user.service" "$userunitdir/backdrop.service"
put 0644 "$BACKDROP_ROOT/systemd/backdrop.toml.example" "$docdir/backdrop.toml.example"
put 0644 "$BACKDROP_ROOT/docs/operations.md" "$docdir/operations.md"
for dir in modules-load.d modprobe.d; do
    for file in "$BACKDROP_ROOT/systemd/$dir"/*.conf; do
        [ -f "$file" ] && put 0644 "$file" "$SYSCONFDIR/$dir/$(basename "$file")"
    done
done
# The configuration is the administrator's: written once, never replaced, not in the manifest.
if [ ! -e "$DESTDIR$SYSCONFDIR/backdrop/backdrop.toml" ]; then
    install -D -m 0644 "$BACKDROP_ROOT/systemd/backdrop.toml.example" "$DESTDIR$SYSCONFDIR/backdrop/backdrop.toml"
    say "wrote $DESTDIR$SYSCONFDIR/backdrop/backdrop.toml (edit source and sinks)"
fi

installed+=("$manifest")
mkdir -p "$(dirname "$DESTDIR$manifest")"
printf '%s\n' "${installed[@]}" > "$DESTDIR$manifest"
say "installed ${#installed[@]} files under ${DESTDIR:-}$PREFIX (list: $manifest)"

if [ -z "$DESTDIR" ] && [ "$SYSCONFDIR" = /etc ] && [ "$(id -u)" -eq 0 ]; then
    if ! getent passwd backdrop >/dev/null; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
            --comment "Backdrop virtual camera" backdrop
        say "created the system user backdrop"
    fi
    usermod -a -G video backdrop
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
    say "next: edit /etc/backdrop/backdrop.toml, then: systemctl enable --now backdrop (docs: $docdir/operations.md)"
fi
