"""Anchor: Resemblyzer 0.1.4 (Python, torch CPU) scores for a trial list, to set beside `likeness eval`.

Usage: python resemblyzer_scores.py TRIALS.tsv OUT.tsv
Writes enroll<TAB>test<TAB>label<TAB>score (cosine of utterance embeddings), the same columns as
`likeness eval --scores`. Files Resemblyzer cannot embed get score 'nan'.
"""
import os
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
import sys
from pathlib import Path

import numpy as np
import torch
from resemblyzer import VoiceEncoder, preprocess_wav

torch.set_num_threads(1)
trials_path, out_path = Path(sys.argv[1]), Path(sys.argv[2])
root = trials_path.parent
trials = [line.rstrip("\n").split("\t") for line in trials_path.read_text().splitlines() if line.strip()]
enc = VoiceEncoder(device="cpu", verbose=False)
cache = {}


def embed(rel):
    if rel not in cache:
        try:
            cache[rel] = enc.embed_utterance(preprocess_wav(root / rel))
        except Exception as exc:  # an anchor: report and go on
            print(f"{rel}: {exc}", file=sys.stderr)
            cache[rel] = None
    return cache[rel]


with open(out_path, "w") as out:
    out.write("enroll\ttest\tlabel\tscore\n")
    for enroll, test, label in trials:
        a, b = embed(enroll), embed(test)
        score = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))) if a is not None and b is not None else float("nan")
        out.write(f"{enroll}\t{test}\t{label}\t{score}\n")
