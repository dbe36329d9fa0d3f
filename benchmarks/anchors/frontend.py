"""Python anchors for benchmarks/run.py: times one operation on one WAV, in-process CPU time, one thread.

Usage: python frontend.py OPERATION WAV REPEATS
Prints one JSON line: {"operation", "cpu_seconds" (best of REPEATS), "frames"}.
Not a run-time dependency of likeness; runs in benchmarks/.venv.
"""
import os
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"
import json
import sys
import time

import numpy as np
import soundfile as sf


def decode(path):
    y, sr = sf.read(path, dtype="float32")
    if y.ndim > 1:
        y = y.mean(axis=1)
    return y, sr


def main():
    op, path, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    y, sr = decode(path) if path != "-" else (None, None)

    if op == "decode":
        run = lambda: decode(path)[0]
    elif op == "librosa-mfcc":
        import librosa
        run = lambda: librosa.feature.mfcc(y=y, sr=sr, n_fft=512, win_length=400, hop_length=160,
                                           n_mels=40, n_mfcc=13)
    elif op == "librosa-ge2e-mel":
        import librosa
        run = lambda: librosa.feature.melspectrogram(y=y, sr=sr, n_fft=400, hop_length=160, n_mels=40)
    elif op in ("knf-mfcc", "knf-fbank", "knf-fbank80"):
        import kaldi_native_fbank as knf
        scaled = (y * 32768.0).tolist()  # knf takes int16-scaled floats; convert outside the timed region
        def run():
            if op == "knf-mfcc":
                opts = knf.MfccOptions()
                opts.use_energy = True
            else:
                opts = knf.FbankOptions()
                opts.mel_opts.num_bins = 80 if op == "knf-fbank80" else 23
                if op == "knf-fbank80":
                    opts.frame_opts.window_type = "hamming"
            opts.frame_opts.dither = 0.0
            opts.frame_opts.samp_freq = sr
            comp = knf.OnlineMfcc(opts) if op == "knf-mfcc" else knf.OnlineFbank(opts)
            comp.accept_waveform(sr, scaled)
            comp.input_finished()
            n = comp.num_frames_ready
            return np.stack([comp.get_frame(i) for i in range(n)])
    elif op == "resemblyzer-embed":
        import torch
        torch.set_num_threads(1)
        from resemblyzer import VoiceEncoder, preprocess_wav
        enc = VoiceEncoder(device="cpu", verbose=False)
        def run():
            wav = preprocess_wav(path)  # decode (librosa), resample, normalise, webrtcvad trim
            return enc.embed_utterance(wav)
    elif op == "numpy-search":
        # 1:N top-10 over 100,000 x 256 unit vectors: one matrix-vector product + argpartition.
        rng = np.random.default_rng(42)
        m = rng.standard_normal((100_000, 256)).astype(np.float32)
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        q = rng.standard_normal(256).astype(np.float32)
        q /= np.linalg.norm(q)
        def run():
            s = m @ q
            top = np.argpartition(-s, 10)[:10]
            return top[np.argsort(-s[top])]
    else:
        raise SystemExit(f"unknown operation {op}")

    best = float("inf")
    out = None
    for _ in range(repeats):
        t0 = time.process_time()
        out = run()
        best = min(best, time.process_time() - t0)
    frames = int(np.asarray(out).shape[0]) if out is not None else 0
    print(json.dumps({"operation": op, "cpu_seconds": best, "frames": frames}))


if __name__ == "__main__":
    main()
