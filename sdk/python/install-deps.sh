#!/usr/bin/env bash
# Installs what the Python SDK's tests need, from Debian's packages only (never a Python package index):
# Python 3.11 with cryptography, Django 3.2, pytest, Selenium, mypy and black, and Chromium with its chromedriver for the
# Django example's browser tests. Idempotent; needs root (or sudo) and the distribution's package repositories.
set -euo pipefail

packages=(python3 python3-cryptography python3-django python3-pytest python3-selenium python3-mypy black chromium chromium-driver)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: $(/usr/bin/python3 --version) with cryptography, Django, pytest, Selenium, mypy, black and Chromium already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: no apt-get here; install ${missing[*]} (Debian 12 names) by other means" >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: installed ${missing[*]}"
