#!/usr/bin/env python3
"""Anchor for LikenessVAD: what Resemblyzer 0.1.4's WebRTC VAD decides for an audio file.

Runs Resemblyzer's own `preprocess_wav` (librosa load at native rate, resample to 16 kHz,
normalize_volume to -30 dBFS increase-only, trim_long_silences) and records, from inside it:
  - the float32 waveform handed to trim_long_silences,
  - the int16 PCM fed to webrtcvad (mode 3, 30 ms windows) and its per-window flags,
  - the smoothed + dilated per-window mask and the trimmed length.

Output, per file:
  default   one line of 0/1 characters (raw VAD flag per 30 ms window)
  --trimmed-length   adds a line `trimmed_length N`
  --json    one JSON object per line instead: path, samples, flags, mask, trimmed_length, dumps
  --dump-dir DIR     writes DIR/NNNNN.f32 (float32 LE waveform before trimming) and DIR/NNNNN.s16
                     (int16 LE PCM given to webrtcvad) so other implementations get identical input.

Needs the venv of benchmarks/venv.sh; never a run-time dependency of likeness.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import webrtcvad
import resemblyzer.audio as ra
from resemblyzer import hparams


def analyse(path, dump_prefix=None):
    captured = {}
    original_trim = ra.trim_long_silences
    original_dilation = ra.binary_dilation

    def recording_dilation(mask, structure):
        out = original_dilation(mask, structure)
        captured["mask"] = np.asarray(out, dtype=bool)
        return out

    def recording_trim(wav):
        captured["wav"] = np.array(wav, copy=True)
        return original_trim(wav)

    ra.trim_long_silences = recording_trim
    ra.binary_dilation = recording_dilation
    try:
        trimmed = ra.preprocess_wav(path)
    finally:
        ra.trim_long_silences = original_trim
        ra.binary_dilation = original_dilation

    # Re-run the VAD loop of trim_long_silences on the same input to expose the raw flags.
    wav = captured["wav"]
    window = (hparams.vad_window_length * hparams.sampling_rate) // 1000
    cut = wav[: len(wav) - (len(wav) % window)]
    pcm = np.round(cut * ra.int16_max).astype(np.int16)
    pcm_bytes = struct.pack("%dh" % len(cut), *pcm)
    vad = webrtcvad.Vad(mode=3)
    flags = [
        int(vad.is_speech(pcm_bytes[s * 2:(s + window) * 2], sample_rate=hparams.sampling_rate))
        for s in range(0, len(cut), window)
    ]
    mask = captured.get("mask", np.zeros(0, dtype=bool))
    result = {
        "path": str(path),
        "samples": int(len(wav)),
        "flags": "".join(str(f) for f in flags),
        "mask": "".join("1" if m else "0" for m in mask),
        "trimmed_length": int(len(trimmed)),
    }
    if dump_prefix is not None:
        np.asarray(wav, dtype="<f4").tofile(dump_prefix + ".f32")
        pcm.astype("<i2").tofile(dump_prefix + ".s16")
        result["f32"] = dump_prefix + ".f32"
        result["s16"] = dump_prefix + ".s16"
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="audio files (anything librosa loads)")
    parser.add_argument("--trimmed-length", action="store_true", help="also print the trimmed length")
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.add_argument("--dump-dir", help="write the float32 waveform and int16 PCM here")
    args = parser.parse_args()
    if args.dump_dir:
        os.makedirs(args.dump_dir, exist_ok=True)
    for index, path in enumerate(args.files):
        prefix = os.path.join(args.dump_dir, f"{index:05d}") if args.dump_dir else None
        r = analyse(path, prefix)
        if args.json:
            print(json.dumps(r), flush=True)
        else:
            print(r["flags"])
            if args.trimmed_length:
                print(f"trimmed_length {r['trimmed_length']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
