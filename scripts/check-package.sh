#!/usr/bin/env bash
# Packs both packages as npm would publish them and lints each tarball: publint for the manifest,
# arethetypeswrong for the types every export condition resolves to.
set -euo pipefail
cd "$(dirname "$0")/.."
for built in dist/index.js tokensmith-server/dist/index.js; do
  [ -f "$built" ] || { echo "check:package: $built missing; run \`npm run build\` first." >&2; exit 1; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for dir in . tokensmith-server; do
  tarball=$(cd "$dir" && npm pack --silent --pack-destination "$out" | tail -n 1)
  echo "== $tarball"
  npx --no-install publint run "$out/$tarball" --strict
  # node16 profile: Node >= 20 resolves through the exports map; the pre-exports node10 mode is out of scope.
  npx --no-install attw "$out/$tarball" --profile node16
done

# One copy of the error classes per format, so `instanceof TokensmithError` holds across subpaths.
for ext in js cjs; do
  # esbuild writes classes as `var TokensmithError = class …`.
  copies=$(grep -lE "(class TokensmithError|TokensmithError = class)" dist/*."$ext" | wc -l)
  if [ "$copies" -ne 1 ]; then
    echo "check:package: TokensmithError is defined in $copies .$ext files; entries must share one chunk (tsup splitting)." >&2
    exit 1
  fi
done
# The companion imports the installed tokensmith; a bundled copy would make its errors foreign classes.
if grep -lE "(class TokensmithError|TokensmithError = class)" tokensmith-server/dist/*.js tokensmith-server/dist/*.cjs; then
  echo "check:package: tokensmith-server bundles its own TokensmithError; keep 'tokensmith' external." >&2
  exit 1
fi
echo "error classes shared across entries and packages: ok"
