#!/usr/bin/env bash
# Removes what scripts/install.sh installed, from its manifest. The configuration in
# SYSCONFDIR/backdrop and the `backdrop` user stay unless --purge is given.
#
# usage: [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc] scripts/uninstall.sh [--purge]
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
SYSCONFDIR="${SYSCONFDIR:-/etc}"
case "$SYSCONFDIR" in /?*) ;; *) die "SYSCONFDIR must be an absolute path, got '$SYSCONFDIR'" ;; esac
purge=false
[ "${1:-}" = --purge ] && purge=true
manifest="$PREFIX/share/backdrop/install-manifest.txt"
[ -f "$DESTDIR$manifest" ] || die "no install manifest at $DESTDIR$manifest: nothing installed under that PREFIX/DESTDIR?"

live=false
if [ -z "$DESTDIR" ] && [ "$SYSCONFDIR" = /etc ] && [ "$(id -u)" -eq 0 ]; then live=true; fi
if $live && [ -d /run/systemd/system ]; then
    systemctl disable --now backdrop.service 2>/dev/null || true
fi

count=0
while IFS= read -r path; do
    [ -n "$path" ] || continue
    if [ -e "$DESTDIR$path" ] || [ -L "$DESTDIR$path" ]; then
        rm -f "$DESTDIR$path"
        count=$((count + 1))
    fi
    # Remove Backdrop's own directories once empty (share/backdrop/models, share/doc/backdrop).
    dir="$(dirname "$path")"
    while [[ "$dir" == */backdrop || "$dir" == */backdrop/* ]] && rmdir "$DESTDIR$dir" 2>/dev/null; do
        dir="$(dirname "$dir")"
    done
done < "$DESTDIR$manifest"
say "removed $count files"

if $purge; then
    rm -rf "$DESTDIR$SYSCONFDIR/backdrop"
    say "removed $DESTDIR$SYSCONFDIR/backdrop"
    if $live && getent passwd backdrop >/dev/null; then
        userdel backdrop && say "removed the system user backdrop"
    fi
else
    say "kept $DESTDIR$SYSCONFDIR/backdrop (--purge removes it)"
fi
if $live && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
