"""Calibration of the many-speakers check of `embed`/`enroll` (`SpeakerMixtureCheck`): how spread the GE2E
voiceprints of a recording's consecutive speech segments are, for single-speaker recordings and for mixtures.

Usage: python3 benchmarks/mixture_check.py [LIKENESS_BINARY] (env MODEL: the --model to embed with, default ge2e, whose
partials give the segments; with campplus or fusion the segments are GE2E tiles embedded for the check, as `scan` does)
Needs ../shared/data (speechocean762, fsdd, misc_small, librispeech_tc100/derived_halves, synthetic). Work files go to
benchmarks/work/mixtures/. Prints one row per recording (kind, speakers, seconds, segments, spread) and the extremes
per class. The spread is what `likeness embed --json` reports as `speaker_check.spread`.

Single-speaker recordings: one speaker's clips concatenated (speechocean762: 5 read sentences; fsdd: spoken digits,
1 and 3 minutes; misc_small: the same person on other devices, formats and sessions; synthetic: one TTS voice), and
one speaker's clips looped to 5 minutes (a long recording; its segments repeat material, so it only tests length).
Mixtures: 2 to 6 speakers taking turns (LibriSpeech halves, speechocean762 sentences, TTS voices, fsdd digits) or one
after the other (blocks).
"""
import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".build" / "release" / "likeness")
DATA = ROOT.parent / "shared" / "data"
WORK = ROOT / "benchmarks" / "work" / "mixtures"
MODEL = os.environ.get("MODEL", "ge2e")
ENV = dict(os.environ, LIKENESS_MODEL=str(ROOT / "models" / "ge2e-resemblyzer-0.1.4.safetensors"),
           LIKENESS_CAMPP_MODEL=str(ROOT / "models" / "campplus-3dspeaker-cn-en-common.safetensors"))


def run(*args, check=True):
    return subprocess.run([str(a) for a in args], check=check, capture_output=True, text=True, env=ENV)


def inventory(name):
    with open(DATA / name / "inventory.tsv") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def by_speaker(name):
    out = {}
    for row in inventory(name):
        out.setdefault(row["speaker_id"], []).append(row)
    return out


def to16k(path):
    """A 16 kHz mono 16-bit copy (sox concatenates only files of one format)."""
    out = WORK / "16k" / (str(path.relative_to(DATA)).replace("/", "_") + ".wav")
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        run("sox", path, "-r", "16000", "-c", "1", "-b", "16", out)
    return out


def concat(name, parts):
    out = WORK / f"{name}.wav"
    if not out.exists():
        run("sox", *[to16k(p) for p in parts], out)
    return out


def recordings():
    rng = random.Random(15)
    rows = []  # (kind, speakers, path)
    so = by_speaker("speechocean762")
    so_speakers = sorted(so)
    for spk in rng.sample(so_speakers, 20):
        rows.append(("single speechocean762", 1, concat(f"so1_{spk}", [DATA / "speechocean762" / r["path"] for r in so[spk]])))
    for spk in rng.sample(so_speakers, 4):
        clips = [DATA / "speechocean762" / r["path"] for r in so[spk]] * 8
        rng.shuffle(clips)
        rows.append(("single looped 5 min", 1, concat(f"so1loop_{spk}", clips)))
    fsdd = by_speaker("fsdd")
    for spk in sorted(fsdd):
        clips = [DATA / "fsdd" / r["path"] for r in fsdd[spk]]
        rng.shuffle(clips)
        for minutes in (1, 3):
            take, total = [], 0.0
            for c, r in zip(clips, fsdd[spk]):
                take.append(c)
                total += 0.45
                if total > 60 * minutes:
                    break
            rows.append((f"single fsdd", 1, concat(f"fsdd1_{spk}_{minutes}", take)))
    misc = by_speaker("misc_small")
    for spk, rs in sorted(misc.items()):
        if len(rs) >= 2 and sum(float(r["duration_s"]) for r in rs) >= 12:
            rows.append(("single misc_small (devices, sessions)", 1, concat(f"misc1_{spk}", [DATA / "misc_small" / r["path"] for r in rs])))
    syn = by_speaker("synthetic")
    for spk in rng.sample(sorted(syn), 6):
        rows.append(("single synthetic voice", 1, concat(f"syn1_{spk}", [DATA / "synthetic" / r["path"] for r in syn[spk]])))
    halves = DATA / "librispeech_tc100" / "derived_halves"
    libri = sorted({f.name.split("_")[0] for f in halves.glob("*_A.flac")})
    for k in (2, 3, 4, 6):
        for i in range(8):
            spk = rng.sample(libri, k)
            parts = [halves / f"{s}_A.flac" for s in spk] + [halves / f"{s}_B.flac" for s in spk]
            rows.append(("mixture librispeech turns", k, concat(f"libri{k}_{i}", parts)))
    for k in (2, 3, 5):
        for i in range(6):
            spk = rng.sample(so_speakers, k)
            parts = [DATA / "speechocean762" / so[s][j]["path"] for j in range(5) for s in spk if j < len(so[s])]
            rows.append(("mixture speechocean762 turns", k, concat(f"so{k}_{i}", parts)))
            if k == 3:
                blocks = [DATA / "speechocean762" / r["path"] for s in spk for r in so[s]]
                rows.append(("mixture speechocean762 blocks", k, concat(f"so{k}blk_{i}", blocks)))
    syn_voices = sorted(syn)
    for i in range(4):
        spk = rng.sample(syn_voices, 3)
        parts = [DATA / "synthetic" / syn[s][j]["path"] for j in range(8) for s in spk if j < len(syn[s])]
        rows.append(("mixture synthetic voices turns", 3, concat(f"syn3_{i}", parts)))
    for k in (3, 6):
        spk = sorted(fsdd)[:k]
        parts = [DATA / "fsdd" / fsdd[s][j]["path"] for j in range(0, 400, 10) for s in spk]
        rows.append(("mixture fsdd turns", k, concat(f"fsdd{k}", parts)))
    return rows


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for kind, k, path in recordings():
        out = run(BIN, "embed", "--model", MODEL, "--json", path, check=False)
        if out.returncode != 0:
            print(f"{kind}\t{k}\t{path.name}\tERROR {out.stderr.strip()[:200]}")
            continue
        rec = json.loads(out.stdout)[0]
        check = rec.get("speaker_check") or {}
        spread = check.get("spread")
        warned = any("speaker" in w for w in rec.get("warnings", []))
        results.append((kind, k, spread, warned))
        print(f"{kind}\t{k}\t{path.name}\t{rec['duration_seconds']:.0f} s\t{check.get('segments')} segments\t"
              f"spread {spread if spread is None else f'{spread:.3f}'}\t{'WARN' if warned else ''}", flush=True)
    print()
    for label, keep in (("single", lambda k: k == 1), ("2 speakers", lambda k: k == 2), ("3+ speakers", lambda k: k >= 3)):
        vals = [s for _, k, s, _ in results if keep(k) and s is not None]
        warned = sum(1 for _, k, s, w in results if keep(k) and w)
        n = sum(1 for _, k, _, _ in results if keep(k))
        if vals:
            print(f"{label}: {n} recordings, {len(vals)} checked, spread min {min(vals):.3f} max {max(vals):.3f}, warned {warned}")


if __name__ == "__main__":
    main()
