#!/bin/sh
# Debian packages sinmun's tests use: Chromium for browser tests (driven by Playwright
# with executable_path, so no browser download), and Korean fonts so screenshots and
# layout checks render Hangul. Skips what is already installed.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -d /usr/share/fonts/opentype/noto ] || missing="$missing fonts-noto-cjk"
# nginx (tests/production: deploy/nginx in front of a live sinmun; brotli where Debian has
# it) and wrk (bench/run.py).
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
[ -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] || missing="$missing libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
# Java 17 runs the Nu Html Checker and Node.js/npm install the audit tools (tests/audit,
# scripts/install-node-deps.sh).
command -v java >/dev/null 2>&1 || missing="$missing openjdk-17-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -z "$missing" ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    SUDO="sudo"
fi
echo "installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
