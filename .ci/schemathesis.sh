#!/usr/bin/env bash
# Schemathesis (PyPI) in a virtualenv under test/fuzz/.venv, for the API fuzz test
# (test/fuzz/api-fuzz.test.ts). The version is pinned; an existing install is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.32.5
VENV=test/fuzz/.venv
if [ -x "$VENV/bin/st" ] && [ "$("$VENV/bin/st" --version)" = "st, version $VERSION" ]; then
  echo "schemathesis $VERSION already in $VENV"
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
"$VENV/bin/st" --version
