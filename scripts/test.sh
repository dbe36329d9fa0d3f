#!/usr/bin/env bash
# Runs the whole test suite. Release mode: the numeric tests (LSTM, FFT) are ~100x slower in debug.
# Tests that need ../shared (reference arrays, speech data) or the model skip with a message when absent.
# Arguments (e.g. --filter NAME) are passed to `swift test`, which then runs once.
#
# Without arguments the suite runs in two parts: everything but the in-process HTTP server tests, then those. Why:
# most CLI tests are synchronous and wait for a child process; Swift Testing runs them on the cooperative thread
# pool, which has one thread per core, so on a 2-core machine two of them block every `await` of the process for as
# long as they run. An in-process server (Hummingbird) handles its requests on that pool; starved for 30 s, its idle
# time-out closes the connection and the test fails with "I/O on closed channel", although nothing is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  exec swift test -c release "$@"
fi
swift test -c release --skip LikenessServerTests
swift test -c release --skip-build --filter LikenessServerTests
