#!/usr/bin/env bash
# Creates benchmarks/.venv with the Python ANCHORS that tests and benchmarks compare the Swift code
# against. None of this is a run-time dependency of likeness. Idempotent: re-running only installs what
# is missing (pip skips satisfied requirements).
#
#   bash benchmarks/venv.sh            # create/refresh benchmarks/.venv
#   export LIKENESS_ANCHOR_VENV=$PWD/benchmarks/.venv/bin/python   # enables the anchor tests
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
wheels="${LIKENESS_WHEELS:-/opt/wheels}"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
py="$venv/bin/python"
pip=("$py" -m pip install --disable-pip-version-check --quiet)

# torch: PyPI's default build pulls CUDA. Install the CPU wheel from $wheels; without one (and no torch
# already in the venv) stop, rather than download gigabytes of CUDA libraries.
torch_wheel="$(ls "$wheels"/torch-*+cpu-*.whl 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -n "$torch_wheel" ]; then
    "${pip[@]}" --find-links "$wheels" "$torch_wheel"
elif ! "$py" -c 'import torch' 2>/dev/null; then
    echo "venv.sh: no CPU torch wheel in $wheels (set LIKENESS_WHEELS)" >&2
    exit 1
fi

# Numeric anchors. webrtcvad-wheels provides the `webrtcvad` module (py-webrtcvad with prebuilt wheels).
"${pip[@]}" numpy scipy librosa soundfile kaldi-native-fbank webrtcvad-wheels

# Resemblyzer 0.1.4 without its declared deps: `webrtcvad` would need a C build (webrtcvad-wheels
# replaces it), and `typing` is the standard library on Python 3. Its other deps are installed above.
"${pip[@]}" --no-deps resemblyzer==0.1.4

echo "venv: $venv"
"$py" - <<'PY'
import importlib.metadata as md
for name in ["torch", "numpy", "scipy", "librosa", "soundfile", "kaldi-native-fbank",
             "webrtcvad-wheels", "resemblyzer"]:
    print(f"  {name}=={md.version(name)}")
import torch
print(f"  torch CUDA build: {torch.version.cuda is not None}")
PY
