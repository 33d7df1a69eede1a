#!/usr/bin/env bash
# Installs what the browser tests in examples/appliance need: Debian's Chromium and its chromedriver
# (/usr/bin/chromium, /usr/bin/chromedriver). Nothing else is ever downloaded: the tests hand both
# to Selenium, so Selenium Manager never fetches a browser or a driver.
# Idempotent; needs root (or sudo) and the distribution's package repositories.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null | head -1) and $(/usr/bin/chromedriver --version | head -1) already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get here; install Chromium and chromedriver as /usr/bin/chromium and" \
    "/usr/bin/chromedriver, or point KEYTURN_CHROMIUM and KEYTURN_CHROMEDRIVER at them" >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium chromium-driver >/dev/null
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null | head -1) and $(/usr/bin/chromedriver --version | head -1)"
