#!/usr/bin/env bash
# The image recipe, in one place for the Dockerfile and for tests/deploy (which runs it without Docker):
# build the named workspace packages and what they depend on, then copy each with its production
# dependencies only into OUT/<name> (`pnpm deploy --prod`), leaving out sources, tests and build leftovers,
# so the copy runs with plain `node dist/...` and nothing else.
#
#   infra/image/pnpm-deploy.sh OUT auth exam ...   (names of @dreamseed/* packages)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1
shift
[ $# -gt 0 ] || { echo "usage: $0 OUT PACKAGE..." >&2; exit 2; }

export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
filters=()
for name in "$@"; do filters+=("--filter=@dreamseed/$name"); done
pnpm exec turbo run build "${filters[@]}" --output-logs=errors-only

# What the workspace needs to build and test, and a running service does not.
prune() {
  rm -rf "$1/src" "$1/test" "$1/bench" "$1/.turbo" "$1/.tap" "$1"/tsconfig*.json "$1/drizzle.config.ts"
}

for name in "$@"; do
  rm -rf "${out:?}/$name"
  # --legacy: the workspace links its packages rather than injecting them (pnpm 10 deploys injected
  # workspaces only, unless told so); the output is the same self-contained folder either way.
  pnpm --filter "@dreamseed/$name" deploy --legacy --prod "$out/$name" >/dev/null
  prune "$out/$name"
  for dep in "$out/$name"/node_modules/.pnpm/@dreamseed+*/node_modules/@dreamseed/*; do
    [ -d "$dep" ] && prune "$dep"
  done
  [ -f "$out/$name/package.json" ] || { echo "pnpm deploy left no package in $out/$name" >&2; exit 1; }
done
