#!/usr/bin/env bash
# Fetches the resemblyzer==0.1.4 wheel from PyPI and converts its pretrained.pt into
# models/ge2e-resemblyzer-0.1.4.safetensors with `likeness model import`, which checks the wheel against the
# SHA-256 pinned in the source (GE2EModelSource.wheelSHA256) and reads the checkpoint without executing pickle.
# Usage: scripts/fetch-model.sh [path/to/likeness]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-$(swift build -c release --show-bin-path)/likeness}"
MODEL="models/ge2e-resemblyzer-0.1.4.safetensors"
CACHE="${LIKENESS_CACHE:-$HOME/.cache/likeness}"
WHEEL="$CACHE/Resemblyzer-0.1.4-py3-none-any.whl"

if [ -f "$MODEL" ] && "$BIN" model info --model "$MODEL" >/dev/null 2>&1; then
  echo "setup: model present: $MODEL"
  exit 0
fi
mkdir -p "$CACHE" models
if [ ! -f "$WHEEL" ]; then
  echo "setup: downloading resemblyzer==0.1.4 (wheel only, no dependencies) from PyPI"
  python3 -m pip download --quiet --no-deps --only-binary=:all: resemblyzer==0.1.4 -d "$CACHE"
fi
if ! "$BIN" model import "$WHEEL" --out "$MODEL"; then
  echo "setup: removing the cached wheel; run the set-up again to download it anew" >&2
  rm -f "$WHEEL"
  exit 1
fi
"$BIN" model info --model "$MODEL"
