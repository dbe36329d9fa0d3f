#!/usr/bin/env python3
"""Enrolment's two-voices-in-one-clip rule for clips too short for the spread check (under 8 segments of 3.2 s).

Builds single-speaker and two-speaker clips of 10-30 s of speech from ../shared/data with sox, embeds them with
`likeness embed --model ge2e --partials --json`, cuts the partials into 3.2 s segments exactly as
SpeakerMixtureCheck does (every other partial, two per segment) and measures the halves cosine: the cosine between
the normalised mean of the first half of the segments and that of the second half (the middle segment of an odd
count is left out). One speaker's halves agree; "first one person, then another" does not.

Single: a LibriSpeech file (two halves of one reading), five speechocean762 sentences of one reader, two misc_small
clips of one person from different devices or sessions, two TTS sentences of one voice.
Two speakers: the same constructions with the second part taken from another speaker of the same corpus.

Usage: python3 benchmarks/mixture_halves.py [path/to/likeness]   (cache: benchmarks/work/halves/)
"""
import json, os, random, subprocess, sys
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data"))
WORK = os.path.join(HERE, "work", "halves")
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", ".build", "release", "likeness")


def speakers(corpus, name="speakers.tsv"):
    by = {}
    for line in open(os.path.join(DATA, corpus, name)):
        if line.strip():
            path, spk = line.rstrip("\n").split("\t")
            by.setdefault(spk, []).append(os.path.join(DATA, corpus, path))
    return by


def build(rng):
    """(name, kind, corpus, [input files]) for every recording to make."""
    plans = []
    libri = speakers("librispeech_tc100", "speakers_halves.tsv")
    ids = sorted(s for s in libri if len(libri[s]) == 2)
    for i, s in enumerate(ids[:120]):
        a = sorted(libri[s])
        plans.append((f"ls_single_{s}", "single", "librispeech", a))
        o = ids[(i + 1) % len(ids)]
        plans.append((f"ls_mixed_{s}_{o}", "mixed", "librispeech", [a[0], sorted(libri[o])[1]]))
    so = speakers("speechocean762")
    sids = sorted(s for s in so if len(so[s]) >= 5)
    for i, s in enumerate(sids[:100]):
        plans.append((f"so_single_{s}", "single", "speechocean762", sorted(so[s])[:5]))
        o = sids[(i + 1) % len(sids)]
        plans.append((f"so_mixed_{s}_{o}", "mixed", "speechocean762", sorted(so[s])[:3] + sorted(so[o])[:3]))
    ms = speakers("misc_small")
    mids = sorted(s for s in ms if len(ms[s]) >= 2)
    for i, s in enumerate(mids):
        files = ms[s]
        for k in range(3):
            plans.append((f"ms_single_{s}_{k}", "single", "misc_small", rng.sample(files, 2)))
        o = mids[(i + 1) % len(mids)]
        plans.append((f"ms_mixed_{s}_{o}", "mixed", "misc_small", [rng.choice(files), rng.choice(ms[o])]))
    sy = speakers("synthetic")
    yids = sorted(sy)
    for i, s in enumerate(yids):
        for k in range(3):
            plans.append((f"sy_single_{s}_{k}", "single", "synthetic", rng.sample(sy[s], 3)))
        o = yids[(i + 1) % len(yids)]
        plans.append((f"sy_mixed_{s}_{o}", "mixed", "synthetic", sorted(sy[s])[:2] + sorted(sy[o])[:2]))
    return plans


def main():
    os.makedirs(WORK, exist_ok=True)
    plans = build(random.Random(3))
    paths = []
    for name, _, _, inputs in plans:
        out = os.path.join(WORK, name + ".wav")
        if not os.path.exists(out):
            # Each input brought to 16 kHz mono first, so sox can concatenate files of any format and rate.
            parts = []
            for j, f in enumerate(inputs):
                part = os.path.join(WORK, f"{name}.part{j}.wav")
                subprocess.run(["sox", f, "-r", "16000", "-c", "1", "-b", "16", part], check=True, capture_output=True)
                parts.append(part)
            subprocess.run(["sox"] + parts + [out], check=True, capture_output=True)
            for p in parts:
                os.remove(p)
        paths.append(out)
    cache = os.path.join(WORK, "embeddings.json")
    if not os.path.exists(cache):
        run = subprocess.run([BIN, "embed", "--model", "ge2e", "--partials", "--json"] + paths, capture_output=True, text=True)
        json.dump(json.loads(run.stdout), open(cache, "w"))
    records = {os.path.basename(r["file"]): r for r in json.load(open(cache))}
    rows = []
    for name, kind, corpus, _ in plans:
        r = records.get(name + ".wav")
        if not r or not r.get("partials"):
            continue
        partials = np.array(r["partials"], dtype=np.float64)
        per_second = len(partials) / r["speech_seconds"]
        step = max(1, round(1.6 * per_second))
        windows = partials[::step]
        segs = [windows[2 * k:2 * k + 2].mean(axis=0) for k in range(len(windows) // 2)]
        segs = [s / np.linalg.norm(s) for s in segs]
        n = len(segs)
        if n < 2:
            continue
        h = n // 2
        first, second = np.mean(segs[:h], axis=0), np.mean(segs[n - h:], axis=0)
        cos = float(first @ second / np.linalg.norm(first) / np.linalg.norm(second))
        rows.append((corpus, kind, n, cos, r["speech_seconds"]))
    print("corpus | kind | recordings | segments | speech s | halves cosine min / 5% / median / 95% / max")
    for corpus in ("librispeech", "speechocean762", "misc_small", "synthetic"):
        for kind in ("single", "mixed"):
            c = np.array([x[3] for x in rows if x[0] == corpus and x[1] == kind])
            seg = [x[2] for x in rows if x[0] == corpus and x[1] == kind]
            sp = [x[4] for x in rows if x[0] == corpus and x[1] == kind]
            if len(c):
                print(f"{corpus} | {kind} | {len(c)} | {min(seg)}-{max(seg)} | {min(sp):.0f}-{max(sp):.0f} | "
                      f"{c.min():.3f} / {np.percentile(c, 5):.3f} / {np.median(c):.3f} / {np.percentile(c, 95):.3f} / {c.max():.3f}")
    for floor in np.arange(0.60, 0.92, 0.02):
        fr = [(sum(1 for x in rows if x[0] == c and x[1] == "single" and x[3] < floor), sum(1 for x in rows if x[0] == c and x[1] == "single")) for c in ("librispeech", "speechocean762", "misc_small", "synthetic")]
        de = [(sum(1 for x in rows if x[0] == c and x[1] == "mixed" and x[3] < floor), sum(1 for x in rows if x[0] == c and x[1] == "mixed")) for c in ("librispeech", "speechocean762", "misc_small", "synthetic")]
        print(f"floor {floor:.2f}: single refused " + " ".join(f"{a}/{b}" for a, b in fr) + " | mixed caught " + " ".join(f"{a}/{b}" for a, b in de))


if __name__ == "__main__":
    main()
