#!/usr/bin/env bash
# Rebuilds the shipped defaults in Sources/LikenessCore/Resources from the development data in ../shared/data,
# for each speaker model (ge2e, campplus, fusion, or those given as arguments):
#   cohort-<model>.json       one voiceprint per LibriSpeech train-clean-100 speaker (251; no audio)
#   calibration-<model>.json  linear calibration fitted on the five development lists, each list weighted equally,
#                             with every list also scored by a fit on the other four (leave one list out)
# The lists used are named inside each file. Needs scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${LIKENESS_SHARED:-../shared}/data"
BIN="${LIKENESS_BIN:-$(swift build -c release --show-bin-path)/likeness}"
OUT=Sources/LikenessCore/Resources
MODELS=("$@")
[ ${#MODELS[@]} -gt 0 ] || MODELS=(ge2e campplus fusion)

for model in "${MODELS[@]}"; do
  "$BIN" cohort build "$DATA/librispeech_tc100" --model "$model" --name "LibriSpeech train-clean-100" \
    --origin "LibriSpeech train-clean-100 (Panayotov et al. 2015, CC BY 4.0): one utterance per speaker; voiceprints only, no audio" \
    --out "$OUT/cohort-$model.json" --quiet --force
  # Every condition we have, weighted equally: read audiobook speech, misc_small (real recordings of 19
  # speakers from several devices, formats and rates, the condition closest to casework), accented English of
  # children and adults (speechocean762), TTS voices, and 8 kHz digits (very short clips, which keeps the
  # calibration cautious on short questioned clips). No list is held out: the leave-one-list-out scores
  # stored in the file are the validation, and the evidence report cites them.
  "$BIN" calibrate --model "$model" \
    "$DATA/librispeech_tc100/trials_tc100_halves.tsv" "$DATA/misc_small/trials.tsv" \
    "$DATA/speechocean762/trials.tsv" "$DATA/synthetic/trials.tsv" "$DATA/fsdd/trials.tsv" \
    --out "$OUT/calibration-$model.json" --quiet --force
done
