#!/bin/sh
# Installs what sdk/go and examples/go-app need on Debian 12: Go (golang-go, 1.19) and the TOML parser the SDK
# vendors (kept installed so the vendored copy can be compared with Debian's). Idempotent: installs only what is
# missing. Chromium and chromedriver for the browser test come from examples/appliance/install-browser.sh.
set -eu
missing=""
for pkg in golang-go golang-github-pelletier-go-toml.v2-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi
go version
