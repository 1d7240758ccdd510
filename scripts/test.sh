#!/usr/bin/env bash
# Set up the machine, then build and run the whole test suite (what CI runs).
# Extra arguments go to `swift test` (e.g. --filter InferenceTests).
# BACKDROP_SCRATCH=DIR builds in DIR instead of .build.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$BACKDROP_ROOT/scripts/setup.sh"
cd "$BACKDROP_ROOT"

# Two cores: two compile jobs.
swift_args=(-j 2)
[ -n "${BACKDROP_SCRATCH:-}" ] && swift_args+=(--scratch-path "$BACKDROP_SCRATCH")

swift build "${swift_args[@]}" --build-tests
swift test "${swift_args[@]}" --skip-build "$@"
