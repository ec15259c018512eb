#!/bin/sh
# npm packages of the audit suite (tests/audit): axe-core and vnu-jar (the Nu Html Checker),
# at the exact versions of package-lock.json. Quick when they are already installed: the
# lock file's checksum is kept in node_modules and nothing runs while it matches.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the machine's
# Java 17 (scripts/install-system-deps.sh) runs vnu.jar instead.
set -eu
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: run scripts/install-system-deps.sh first" >&2
    exit 1
fi
stamp=node_modules/.sinmun-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
    && [ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
    exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
