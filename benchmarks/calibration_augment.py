"""Calibration with an augmented (channel / codec / session mismatch) set derived from LibriSpeech.

Experiment for the issue "calibrated Cllr <= 0.3 on trial lists not used for fitting": the development lists
used for fitting lack channel/codec mismatch, so a calibration fitted on them is shifted on misc_small.
This script builds degraded copies of the LibriSpeech derived halves with sox (conditions fixed up front,
generic lab conditions, fixed seed), makes a balanced cross-condition trial list, scores it, fits
`likeness calibrate` on several combinations of lists and evaluates each fit on the lists it did not use.

Stages (all re-runnable, deterministic; outputs under benchmarks/work/augment/, git-ignored):
    python3 benchmarks/calibration_augment.py [gen|trials|eval|all]   (default all)

Needs: sox (with mp3/ogg/gsm/amr-nb write support), a likeness binary (--likeness, $LIKENESS_BIN, or
.build/release/likeness) and the GE2E weights ($LIKENESS_MODEL). Python stdlib only.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LIKENESS_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
LS = DATA / "librispeech_tc100"
WORK = ROOT / "benchmarks" / "work" / "augment"
AUDIO = WORK / "audio"
SEED = 20261125

# ---------------------------------------------------------------------------------------------------------
# Condition set (decided before any scoring; not tuned on misc_small).
# Each entry: name -> (output extension, sox effects before encoding, output-side sox options, decode-to-wav)
#   decode: True = encode with the lossy codec, then decode back to 16-bit PCM WAV at the codec's rate
#           (the loader must not need codec support for these); False = keep the encoded file as is.
# Noise and cropping are added in gen() where they need per-file parameters.
# ---------------------------------------------------------------------------------------------------------
CONDITIONS = {
    # untouched 16 kHz studio-ish read speech
    "clean":      dict(ext="wav", fx=[], out=[], decode=False),
    # landline telephone: 8 kHz, 300-3400 Hz band, G.711 mu-law
    "tel_ulaw":   dict(ext="wav",  fx=["sinc", "300-3400", "rate", "8000"], out=["-e", "u-law"], decode=True),
    # GSM full-rate (06.10) mobile channel, 8 kHz, band-limited
    "gsm":        dict(ext="gsm", fx=["sinc", "300-3400", "rate", "8000"], out=[], decode=True),
    # AMR-NB 7.4 kbit/s mobile/VoIP codec, 8 kHz
    "amr_nb":     dict(ext="amr-nb", fx=["sinc", "200-3400", "rate", "8000"], out=["-C", "4"], decode=True),
    # low-bitrate MP3 (32 kbit/s, 16 kHz mono), kept as .mp3
    "mp3_32k":    dict(ext="mp3", fx=[], out=["-C", "32"], decode=False),
    # low-quality Ogg Vorbis (quality 0) at 22.05 kHz, kept as .ogg
    "ogg_q0":     dict(ext="ogg", fx=["rate", "22050"], out=["-C", "0"], decode=False),
    # pink noise at 15 dB SNR (noise mixed in gen())
    "noise15":    dict(ext="wav", fx=[], out=[], decode=False, snr_db=15.0),
    # room reverberation (moderate room, wet + dry)
    "reverb":     dict(ext="wav", fx=["reverb", "50", "50", "75"], out=[], decode=False),
    # cheap device mic: high/low-pass, presence peak, very low level (-30 dB), stored at 48 kHz
    "device_48k": dict(ext="wav", fx=["gain", "-30", "highpass", "200", "lowpass", "7000",
                                      "equalizer", "3000", "1q", "6", "rate", "48000"], out=[], decode=False),
}
CROP_PROB = 0.4            # fraction of files cut to a short excerpt (after leading-silence removal)
CROP_RANGE = (1.5, 3.0)    # seconds


def sox(*args):
    subprocess.run(["sox", "-R", "-q", *map(str, args)], check=True)


def duration(path):
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout)


def rms(path):
    err = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True, check=True).stderr
    for line in err.splitlines():
        if line.startswith("RMS     amplitude"):
            return float(line.split(":")[1])
    raise RuntimeError(f"no RMS for {path}")


def utterances():
    """[(utt, speaker, gender)] for the 223 LibriSpeech utterances that have both halves."""
    gender = {}
    for line in (LS / "inventory.tsv").read_text().splitlines()[1:]:
        f = line.split("\t")
        gender[f[1]] = f[8]
    halves = {}
    for line in (LS / "speakers_halves.tsv").read_text().splitlines():
        path, spk = line.split("\t")
        utt = Path(path).stem[:-2]
        halves.setdefault(utt, set()).add(Path(path).stem[-1])
        halves[utt].add("spk:" + spk)
    out = []
    for utt in sorted(halves):
        h = halves[utt]
        if {"A", "B"} <= h:
            spk = next(x[4:] for x in h if x.startswith("spk:"))
            out.append((utt, spk, gender.get(spk, "?")))
    return out


def assign(utts):
    """Deterministic plan: every utterance's A and B halves get two DIFFERENT conditions, cycling through all
    ordered condition pairs (balanced); each file independently cropped with probability CROP_PROB."""
    rng = random.Random(SEED)
    names = list(CONDITIONS)
    pairs = [(a, b) for a in names for b in names if a != b]
    rng.shuffle(pairs)
    plan = []
    for i, (utt, spk, g) in enumerate(utts):
        ca, cb = pairs[i % len(pairs)]
        for half, cond in (("A", ca), ("B", cb)):
            crop = round(rng.uniform(*CROP_RANGE), 2) if rng.random() < CROP_PROB else 0.0
            crop_pos = rng.random()
            noise_pos = rng.random()
            plan.append(dict(utt=utt, spk=spk, gender=g, half=half, cond=cond, crop=crop,
                             crop_pos=crop_pos, noise_pos=noise_pos))
    return plan


def out_name(p):
    spec = CONDITIONS[p["cond"]]
    ext = "wav" if spec["decode"] else spec["ext"]
    crop = f"_crop{p['crop']:.2f}" if p["crop"] else ""
    return f"audio/{p['utt']}_{p['half']}_{p['cond']}{crop}.{ext}"


def gen(plan, force=False):
    AUDIO.mkdir(parents=True, exist_ok=True)
    tmp = WORK / "tmp"
    tmp.mkdir(exist_ok=True)
    noise = WORK / "pinknoise_120s.wav"
    if force or not noise.exists():
        sox("-n", "-r", "16000", "-b", "16", "-c", "1", noise, "synth", "120", "pinknoise", "vol", "0.5")
    noise_len = duration(noise)
    noise_rms = rms(noise)
    made = 0
    for p in plan:
        out = WORK / out_name(p)
        if out.exists() and not force:
            continue
        src = LS / "derived_halves" / f"{p['utt']}_{p['half']}.flac"
        spec = CONDITIONS[p["cond"]]
        # 1. optional short crop of the speech (leading silence removed first)
        stage = tmp / "stage.wav"
        if p["crop"]:
            trimmed = tmp / "trimmed.wav"
            sox(src, trimmed, "silence", "1", "0.05", "1%")
            d = duration(trimmed)
            start = max(0.0, (d - p["crop"]) * p["crop_pos"])
            sox(trimmed, stage, "trim", f"{start:.3f}", f"{p['crop']:.3f}")
        else:
            sox(src, stage)
        # 2. additive noise at a fixed SNR (RMS over the whole clip)
        if "snr_db" in spec:
            d = duration(stage)
            off = (noise_len - d - 0.1) * p["noise_pos"]
            seg = tmp / "noise.wav"
            gain = rms(stage) / noise_rms / (10 ** (spec["snr_db"] / 20))
            sox(noise, seg, "trim", f"{off:.3f}", f"{d:.3f}", "vol", f"{gain:.6f}")
            mixed = tmp / "mixed.wav"
            sox("-m", stage, seg, mixed)
            mixed.replace(stage)
        # 3. channel effects + codec
        if spec["decode"]:
            enc = tmp / f"enc.{spec['ext']}"
            sox(stage, *spec["out"], enc, *spec["fx"])
            sox(enc, "-b", "16", "-e", "signed-integer", out)
        else:
            args = ["-b", "16"] if spec["ext"] == "wav" else []
            sox(stage, *args, *spec["out"], out, *spec["fx"])
        made += 1
    shutil.rmtree(tmp, ignore_errors=True)
    with open(WORK / "manifest.tsv", "w") as f:
        f.write("path\tspeaker\tgender\tutterance\thalf\tcondition\tcrop_s\n")
        for p in plan:
            f.write(f"{out_name(p)}\t{p['spk']}\t{p['gender']}\t{p['utt']}\t{p['half']}\t{p['cond']}\t{p['crop']}\n")
    print(f"gen: {made} files written, {len(plan)} in plan", file=sys.stderr)


def trials(plan):
    """Targets: A vs B half of the same utterance (always different conditions). Nontargets: as many, A half of
    one speaker vs B half of another, also always across different conditions (a derangement of the B halves)."""
    rng = random.Random(SEED + 1)
    a = [p for p in plan if p["half"] == "A"]
    b = {p["utt"]: p for p in plan if p["half"] == "B"}
    rows = [(out_name(p), out_name(b[p["utt"]]), "target") for p in a]
    bs = [b[p["utt"]] for p in a]
    ok = lambda x, y: x["spk"] != y["spk"] and x["cond"] != y["cond"]
    perm = bs[:]
    rng.shuffle(perm)
    for _ in range(100):   # repair by random swaps until every pair is valid
        bad = [i for i in range(len(a)) if not ok(a[i], perm[i])]
        if not bad:
            break
        for i in bad:
            j = rng.randrange(len(a))
            if ok(a[i], perm[j]) and ok(a[j], perm[i]):
                perm[i], perm[j] = perm[j], perm[i]
    else:
        raise RuntimeError("no valid nontarget pairing")
    rows += [(out_name(x), out_name(y), "nontarget") for x, y in zip(a, perm)]
    rng.shuffle(rows)
    path = WORK / "trials_augmented.tsv"
    path.write_text("".join("\t".join(r) + "\n" for r in rows))
    same_gender = sum(x["gender"] == y["gender"] for x, y in zip(a, perm))
    print(f"trials: {len(a)} targets, {len(perm)} nontargets ({same_gender} same-gender) -> {path}", file=sys.stderr)
    return path


# ---------------------------------------------------------------------------------------------------------
LISTS = {
    "librispeech": DATA / "librispeech_tc100" / "trials_tc100_halves.tsv",
    "synthetic": DATA / "synthetic" / "trials.tsv",
    "fsdd": DATA / "fsdd" / "trials.tsv",
    "misc_small": DATA / "misc_small" / "trials.tsv",
    "augmented": WORK / "trials_augmented.tsv",
}
# fitting combinations; each is evaluated on every development list it does not contain
COMBOS = [
    ("librispeech", "synthetic", "fsdd"),                 # baseline (LOO row for misc_small)
    ("librispeech", "synthetic", "fsdd", "augmented"),     # (a)
    ("librispeech", "synthetic", "augmented"),             # (b)
    ("librispeech", "fsdd", "augmented"),
    ("librispeech", "augmented"),
    ("synthetic", "fsdd", "augmented"),
    ("augmented",),
    ("librispeech", "fsdd", "misc_small"),                 # baseline (LOO row for synthetic)
    ("librispeech", "fsdd", "misc_small", "augmented"),
    ("synthetic", "fsdd", "misc_small"),                   # baseline (LOO row for librispeech)
    ("synthetic", "fsdd", "misc_small", "augmented"),
    # leave-one-out over the three non-fsdd lists (added after the first run, to get held-out synthetic and
    # librispeech numbers for the fsdd-free fits that (b) belongs to)
    ("librispeech", "synthetic"),
    ("librispeech", "misc_small"),
    ("librispeech", "misc_small", "augmented"),
    ("synthetic", "misc_small"),
    ("synthetic", "misc_small", "augmented"),
]
HELD_OUT = ("misc_small", "synthetic", "librispeech")


def run(cmd):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def quantiles(xs):
    xs = sorted(xs)
    q = lambda f: xs[min(len(xs) - 1, int(f * (len(xs) - 1) + 0.5))]
    return f"{q(0.05):.2f} / {q(0.25):.2f} / {q(0.5):.2f} / {q(0.75):.2f} / {q(0.95):.2f}"


def read_scores(path):
    out = []
    for line in path.read_text().splitlines()[1:]:
        f = line.split("\t")
        out.append((f[0], f[1], f[2], float(f[3])))
    return out


def evaluate(likeness):
    res = {}
    # 1. raw score distributions
    dist = ["| list | targets | nontargets | target score p5/p25/p50/p75/p95 | nontarget score p5/p25/p50/p75/p95 | EER | minCllr |",
            "|---|---|---|---|---|---|---|"]
    scores = {}
    for name in ("librispeech", "synthetic", "misc_small", "augmented", "fsdd"):
        sc = WORK / f"scores_{name}.tsv"
        j = json.loads(run([likeness, "eval", LISTS[name], "--json", "--quiet", "--scores", sc]))
        s = read_scores(sc)
        scores[name] = s
        t = [x[3] for x in s if x[2] == "target"]
        n = [x[3] for x in s if x[2] == "nontarget"]
        dist.append(f"| {name} | {len(t)} | {len(n)} | {quantiles(t)} | {quantiles(n)} | "
                    f"{j['eer'] * 100:.2f} % | {j['min_cllr']:.3f} |")
    # augmented targets by condition involved, and by crop
    cond_of, crop_of = {}, {}
    for line in (WORK / "manifest.tsv").read_text().splitlines()[1:]:
        f = line.split("\t")
        cond_of[f[0]], crop_of[f[0]] = f[5], float(f[6])
    by = ["| condition (either side) | target median | nontarget median | n targets |", "|---|---|---|---|"]
    for c in CONDITIONS:
        t = [x[3] for x in scores["augmented"] if x[2] == "target" and c in (cond_of[x[0]], cond_of[x[1]])]
        n = [x[3] for x in scores["augmented"] if x[2] == "nontarget" and c in (cond_of[x[0]], cond_of[x[1]])]
        by.append(f"| {c} | {statistics.median(t):.3f} | {statistics.median(n):.3f} | {len(t)} |")
    for label, k in (("no side cropped", 0), ("one side cropped", 1), ("both sides cropped", 2)):
        t = [x[3] for x in scores["augmented"] if x[2] == "target" and (crop_of[x[0]] > 0) + (crop_of[x[1]] > 0) == k]
        n = [x[3] for x in scores["augmented"] if x[2] == "nontarget" and (crop_of[x[0]] > 0) + (crop_of[x[1]] > 0) == k]
        if t and n:
            by.append(f"| {label} | {statistics.median(t):.3f} | {statistics.median(n):.3f} | {len(t)} |")
    # 2. calibrations
    rows = ["| fitted on | scale | offset | held-out | EER | Cllr | minCllr | actDCF |", "|---|---|---|---|---|---|---|---|"]
    for combo in COMBOS:
        tag = "+".join(combo)
        cal = WORK / f"cal_{tag}.json"
        run([likeness, "calibrate", *[LISTS[c] for c in combo], "--out", cal, "--quiet"])
        c = json.loads(cal.read_text())["calibration"]
        for held in HELD_OUT:
            if held in combo:
                continue
            j = json.loads(run([likeness, "eval", LISTS[held], "--calibration", cal, "--json", "--quiet"]))
            res[(tag, held)] = j
            rows.append(f"| {' + '.join(combo)} | {c['scale']:.2f} | {c['offset']:.2f} | {held} | "
                        f"{j['eer'] * 100:.2f} % | {j['cllr']:.3f} | {j['min_cllr']:.3f} | {j.get('act_dcf', float('nan')):.3f} |")
        print(f"done {tag}", file=sys.stderr)
    text = ("### Raw cosine score distributions\n\n" + "\n".join(dist) + "\n\n"
            "### Augmented list by condition\n\n" + "\n".join(by) + "\n\n"
            "### Held-out calibrated Cllr\n\n" + "\n".join(rows) + "\n")
    (WORK / "results.md").write_text(text)
    print(text)


def find_likeness(arg):
    for c in (arg, os.environ.get("LIKENESS_BIN"), ROOT / ".build" / "release" / "likeness", shutil.which("likeness")):
        if c and Path(c).exists():
            return str(c)
    sys.exit("likeness binary not found: pass --likeness or set LIKENESS_BIN")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stage", nargs="?", default="all", choices=["gen", "trials", "eval", "all"])
    ap.add_argument("--likeness", help="likeness binary (default $LIKENESS_BIN or .build/release/likeness)")
    ap.add_argument("--force", action="store_true", help="regenerate audio even if present")
    args = ap.parse_args()
    try:
        os.nice(15)   # shared machine: every child (sox, likeness) inherits this
    except OSError:
        pass
    WORK.mkdir(parents=True, exist_ok=True)
    plan = assign(utterances())
    if args.stage in ("gen", "all"):
        gen(plan, args.force)
    if args.stage in ("trials", "all"):
        trials(plan)
    if args.stage in ("eval", "all"):
        evaluate(find_likeness(args.likeness))


if __name__ == "__main__":
    main()
