#!/usr/bin/env bash
# Puts the openapi-generator jar where the npm wrapper looks for it (<storageDir>/<version>.jar).
# The wrapper's own download needs hosts these machines cannot reach, so Maven fetches it instead.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p "require('./openapitools.json')['generator-cli'].version")
storage=$(node -p "require('./openapitools.json')['generator-cli'].storageDir")
jar="$storage/$version.jar"

if [ -s "$jar" ]; then
  echo "openapi-generator $version already at $jar"
  exit 0
fi
if ! command -v java >/dev/null 2>&1; then
  echo "fetch-generator: Java is not installed; the markdown docs generator needs Java 11+ (e.g. apt-get install openjdk-17-jre-headless)." >&2
  exit 1
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "fetch-generator: Maven is not installed; it fetches the generator jar (e.g. apt-get install maven)." >&2
  exit 1
fi

mkdir -p "$storage"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! mvn -q -B dependency:copy \
    -Dartifact="org.openapitools:openapi-generator-cli:$version" \
    -DoutputDirectory="$tmp" >"$tmp/mvn.log" 2>&1; then
  echo "fetch-generator: Maven could not fetch org.openapitools:openapi-generator-cli:$version; its log follows." >&2
  tail -n 20 "$tmp/mvn.log" >&2
  exit 1
fi
mv "$tmp/openapi-generator-cli-$version.jar" "$jar"
echo "openapi-generator $version fetched to $jar"
