#!/usr/bin/env python3
"""Enrolment's one-speaker rule, measured: how far apart are clips of one person, and of two people?

Embeds every clip of the development corpora once with the default fusion (`likeness embed --model fusion --json`;
its 448-d voiceprint is [sqrt(0.5) GE2E | sqrt(0.5) CAM++], so the GE2E and CAM++ cosines come from the same run),
then simulates enrolments: every speaker's clips (all of them, and random pairs), and the same sets with one clip of
another speaker of the same corpus slipped in. The rule under test (`EnrolmentPolicy.consistencyFloor`): a clip is
refused when its cosine with the mean voiceprint of the other clips is below the model's floor.

Usage: python3 benchmarks/enrol_consistency.py [path/to/likeness]   (cache: benchmarks/work/enrol/*.json)
"""
import json, os, random, subprocess, sys
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data"))
CACHE = os.path.join(HERE, "work", "enrol")
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", ".build", "release", "likeness")
CORPORA = [("librispeech_tc100", "speakers_halves.tsv"), ("speechocean762", "speakers.tsv"),
           ("misc_small", "speakers.tsv"), ("synthetic", "speakers.tsv")]
MIN_SPEECH = 3.0  # EnrolmentPolicy.minimumSpeechSeconds: shorter clips are never enrolled


def embeddings(corpus, speakers_file):
    os.makedirs(CACHE, exist_ok=True)
    cache = os.path.join(CACHE, corpus + ".json")
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(DATA, corpus, speakers_file)) if l.strip()]
    if not os.path.exists(cache):
        files = [os.path.join(DATA, corpus, r[0]) for r in rows]
        out = subprocess.run([BIN, "embed", "--model", "fusion", "--json"] + files, capture_output=True, text=True)
        records = json.loads(out.stdout) if out.stdout.strip() else []
        json.dump(records, open(cache, "w"))
    records = {os.path.normpath(r["file"]): r for r in json.load(open(cache))}
    clips = []
    for path, speaker in rows:
        r = records.get(os.path.normpath(os.path.join(DATA, corpus, path)))
        if r is None or r["speech_seconds"] < MIN_SPEECH:
            continue
        e = np.array(r["embedding"], dtype=np.float64)
        parts = {"ge2e": e[:256], "campplus": e[256:], "fusion": e}
        clips.append((speaker, {m: v / np.linalg.norm(v) for m, v in parts.items()}))
    return clips


def loo(vectors):
    """Each vector's cosine with the normalised mean of the others."""
    out = []
    for i, v in enumerate(vectors):
        rest = np.sum([w for j, w in enumerate(vectors) if j != i], axis=0)
        out.append(float(v @ rest / np.linalg.norm(rest)))
    return out


def main():
    rng = random.Random(1)
    same = {m: [] for m in ("ge2e", "campplus", "fusion")}
    mixed = {m: [] for m in same}
    print("corpus | clips >= 3 s speech | speakers")
    for corpus, speakers_file in CORPORA:
        clips = embeddings(corpus, speakers_file)
        by = {}
        for s, v in clips:
            by.setdefault(s, []).append(v)
        print(f"{corpus} | {len(clips)} | {len(by)}")
        for s, vs in by.items():
            if len(vs) < 2:
                continue
            others = [o for o in by if o != s]
            sets = [vs] + [rng.sample(vs, 2) for _ in range(3)]
            for chosen in sets:
                intruder = rng.choice(by[rng.choice(others)])
                for m in same:
                    same[m].append((corpus, min(loo([v[m] for v in chosen]))))
                    # The intruder's own leave-one-out score: is it the lowest, and below the floor?
                    scores = loo([v[m] for v in chosen] + [intruder[m]])
                    mixed[m].append((corpus, scores[-1], min(scores)))
    for m in same:
        s = np.array([x[1] for x in same[m]])
        mx = np.array([x[2] for x in mixed[m]])
        print(f"\n{m}: same-speaker sets {len(s)}: min {s.min():.3f}, 0.5% {np.percentile(s, 0.5):.3f}, 1% {np.percentile(s, 1):.3f}, 5% {np.percentile(s, 5):.3f}")
        print(f"  sets with an intruder {len(mx)}: intruder's score median {np.median(mx):.3f}, 95% {np.percentile(mx, 95):.3f}")
        for floor in np.arange(0.2, 0.8, 0.05):
            fr = {c: (sum(1 for x in same[m] if x[0] == c and x[1] < floor), sum(1 for x in same[m] if x[0] == c)) for c, _ in CORPORA}
            det = {c: (sum(1 for x in mixed[m] if x[0] == c and x[2] < floor), sum(1 for x in mixed[m] if x[0] == c)) for c, _ in CORPORA}
            print(f"  floor {floor:.2f}: false refusals " + ", ".join(f"{c[:6]} {a}/{b}" for c, (a, b) in fr.items())
                  + " | mixtures caught " + ", ".join(f"{c[:6]} {a}/{b}" for c, (a, b) in det.items()))


if __name__ == "__main__":
    main()
