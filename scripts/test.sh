#!/usr/bin/env bash
# Runs the whole test suite. Release mode: the numeric tests (LSTM, FFT) are ~100x slower in debug.
# Tests that need ../shared (reference arrays, speech data) or the model skip with a message when absent.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test -c release "$@"
