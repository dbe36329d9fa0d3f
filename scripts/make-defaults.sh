#!/usr/bin/env bash
# Rebuilds the shipped defaults in Sources/LikenessCore/Resources from the development data in ../shared/data:
#   default-cohort.json       one GE2E voiceprint per LibriSpeech train-clean-100 speaker (251; no audio)
#   default-calibration.json  linear calibration fitted on some trial lists, validated on a held-out one
# The lists used are named inside each file. Needs scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${LIKENESS_SHARED:-../shared}/data"
BIN="$(swift build -c release --show-bin-path)/likeness"
OUT=Sources/LikenessCore/Resources

"$BIN" cohort build "$DATA/librispeech_tc100" --name "LibriSpeech train-clean-100" \
  --origin "LibriSpeech train-clean-100 (Panayotov et al. 2015, CC BY 4.0): one utterance per speaker; voiceprints only, no audio" \
  --out "$OUT/default-cohort.json" --quiet

# Fitted on the three lists that together cover the most recording conditions: read audiobook speech, 8 kHz
# spoken digits (very short clips), and misc_small (real recordings of 19 speakers from several devices, formats
# and rates, the condition closest to casework). The 13 synthetic (TTS) voices are held out for validation.
# Leave-one-list-out (BENCHMARKS.md) shows why misc_small must be in the fit: held out, fits on the other
# development lists leave it at Cllr 0.36-0.38, while synthetic held out comes to 0.20.
"$BIN" calibrate \
  "$DATA/librispeech_tc100/trials_tc100_halves.tsv" "$DATA/fsdd/trials.tsv" "$DATA/misc_small/trials.tsv" \
  --validate "$DATA/synthetic/trials.tsv" \
  --out "$OUT/default-calibration.json" --quiet
