#!/usr/bin/env bash
# Installs what the conformance suite's tests need: Debian's python3, for the web conformance script
# (conformance/web/web_conformance.py uses its standard library only). Idempotent; needs root (or
# sudo) and the distribution's package repositories.
set -euo pipefail

if [ -x /usr/bin/python3 ]; then
  echo "conformance: $(/usr/bin/python3 --version) already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq python3 >/dev/null
echo "conformance: installed $(/usr/bin/python3 --version)"
