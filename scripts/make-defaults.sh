#!/usr/bin/env bash
# Rebuilds the shipped defaults in Sources/likeness/Resources from the development data in ../shared/data:
#   default-cohort.json       one GE2E voiceprint per LibriSpeech train-clean-100 speaker (251; no audio)
#   default-calibration.json  linear calibration fitted on some trial lists, validated on a held-out one
# The lists used are named inside each file. Needs scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${LIKENESS_SHARED:-../shared}/data"
BIN="$(swift build -c release --show-bin-path)/likeness"
OUT=Sources/likeness/Resources

"$BIN" cohort build "$DATA/librispeech_tc100" --name "LibriSpeech train-clean-100" \
  --origin "LibriSpeech train-clean-100 (Panayotov et al. 2015, CC BY 4.0): one utterance per speaker; voiceprints only, no audio" \
  --out "$OUT/default-cohort.json" --quiet

# Fitted on three conditions (read audiobook speech, 8 kHz spoken digits, synthetic voices) so the slope is not
# tuned to one; misc_small (real recordings of 19 speakers in several formats and rates) is held out.
"$BIN" calibrate \
  "$DATA/librispeech_tc100/trials_tc100_halves.tsv" "$DATA/fsdd/trials.tsv" "$DATA/synthetic/trials.tsv" \
  --validate "$DATA/misc_small/trials.tsv" \
  --out "$OUT/default-calibration.json" --quiet
