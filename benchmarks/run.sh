#!/usr/bin/env bash
# Runs the benchmarks side by side with the Python anchors and writes the tables into BENCHMARKS.md.
#   bash benchmarks/run.sh [frontend|embed|search|eval|calibration|scan|all]
# Needs: scripts/setup.sh done; creates benchmarks/.venv (anchors only, never a run-time dependency).
set -euo pipefail
cd "$(dirname "$0")/.."
bash benchmarks/venv.sh >/dev/null
swift build -c release --product likeness
swift build -c release --product likeness-bench
exec benchmarks/.venv/bin/python benchmarks/run.py "${1:-all}"
