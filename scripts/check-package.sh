#!/usr/bin/env bash
# Packs the build as npm would publish it and lints the tarball: publint for the manifest,
# arethetypeswrong for the types every export condition resolves to.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.js ] || { echo "check:package: no build found; run \`npm run build\` first." >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tarball=$(npm pack --silent --pack-destination "$out" | tail -n 1)
npx --no-install publint run "$out/$tarball" --strict
# node16 profile: Node >= 20 resolves through the exports map; the pre-exports node10 mode is out of scope.
npx --no-install attw "$out/$tarball" --profile node16

# One copy of the error classes per format, so `instanceof TokensmithError` holds across subpaths.
for ext in js cjs; do
  # esbuild writes classes as `var TokensmithError = class …`; the CLI is one standalone file.
  copies=$(grep -lE "(class TokensmithError|TokensmithError = class)" $(ls dist/*."$ext" | grep -v '/cli\.') | wc -l)
  if [ "$copies" -ne 1 ]; then
    echo "check:package: TokensmithError is defined in $copies .$ext files; entries must share one chunk (tsup splitting)." >&2
    exit 1
  fi
done
echo "error classes shared across entries: ok"
