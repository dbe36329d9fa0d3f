#!/usr/bin/env python3
"""Why the synthetic list's held-out Cllr stays above 0.25 (issue 12), measured.

Embeds every file of the five development trial lists once with the default fusion (`likeness embed --model fusion
--json`; its 448-d voiceprint is [sqrt(0.5) GE2E | sqrt(0.5) CAM++], so both models' cosines come from one run), then
repeats the shipped calibration's leave-one-list-out fit in numpy (linear logistic regression, prior 0.5, each list
weighted equally; the same numbers as `likeness calibrate`) and tries what could lower the held-out Cllr:
  - bounding the LLR at fixed values, and at the empirical lower and upper bounds (ELUB) of the calibration data
    (Vergeer et al., "Numerical likelihood ratios outputted by LR systems are often based on extrapolation: when to
    stop extrapolating?", Science & Justice 56 (2016) 482-491: the widest LLR range in which the calibrated system,
    with one misleading comparison added at each threshold, never has a higher normalised Bayes error than LR = 1);
  - a duration quality measure (log of the shorter clip's speech seconds) as a second regression input;
  - AS-norm against the shipped LibriSpeech cohort before calibration;
  - fusions that are not an equal-weight sum (both weights fitted, a product term, the smaller of the two LLRs), and
    the EER of every weight of a weighted sum;
and lists the synthetic list's highest-scoring different-voice trials.

Usage: python3 benchmarks/calibration_limits.py [path/to/likeness]   (cache: benchmarks/work/enrol/*.json)
"""
import base64, json, os, subprocess, sys
import numpy as np
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data"))
CACHE = os.path.join(HERE, "work", "enrol")
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", ".build", "release", "likeness")
COHORT = os.path.join(HERE, "..", "Sources", "LikenessCore", "Resources", "cohort-fusion.json")
LISTS = [("librispeech_tc100", "trials_tc100_halves.tsv"), ("misc_small", "trials.tsv"),
         ("speechocean762", "trials.tsv"), ("synthetic", "trials.tsv"), ("fsdd", "trials.tsv")]


def unit(v):
    return v / (np.linalg.norm(v) + 1e-12)


def halves(e):
    e = np.asarray(e, dtype=np.float64)
    return unit(e[:256]), unit(e[256:])


def embeddings(corpus, trials):
    """file -> record, embedding every file of the list once (cached)."""
    os.makedirs(CACHE, exist_ok=True)
    cache = os.path.join(CACHE, corpus + ".json")
    records = json.load(open(cache)) if os.path.exists(cache) else []
    have = {os.path.normpath(r["file"]) for r in records}
    files = sorted({os.path.normpath(os.path.join(DATA, corpus, f)) for line in open(os.path.join(DATA, corpus, trials))
                    for f in line.split("\t")[:2]})
    missing = [f for f in files if f not in have]
    if missing:
        out = subprocess.run([BIN, "embed", "--model", "fusion", "--json", "--min-speech", "0"] + missing,
                             capture_output=True, text=True)
        records += json.loads(out.stdout) if out.stdout.strip() else []
        json.dump(records, open(cache, "w"))
    return {os.path.normpath(r["file"]): r for r in records}


def cohort_halves():
    voices = json.load(open(COHORT))["voices"]
    pairs = [halves(np.frombuffer(base64.b64decode(v["embedding"]), dtype=np.float32)) for v in voices]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def top_stats(x, cohort, n=100):
    s = np.sort(cohort @ x)[::-1][:n]
    return s.mean(), s.std()


def trial_table():
    """Per list: rows of (ge2e cosine, campplus cosine, ge2e AS-norm, campplus AS-norm, log min speech s, target)."""
    cg, cc = cohort_halves()
    table, pairs = {}, {}
    for corpus, trials in LISTS:
        records = embeddings(corpus, trials)
        rows, names = [], []
        for line in open(os.path.join(DATA, corpus, trials)):
            a, b, label = line.rstrip("\n").split("\t")
            ra = records.get(os.path.normpath(os.path.join(DATA, corpus, a)))
            rb = records.get(os.path.normpath(os.path.join(DATA, corpus, b)))
            if ra is None or rb is None:
                continue
            (ga, ca), (gb, cb) = halves(ra["embedding"]), halves(rb["embedding"])
            g, c = float(ga @ gb), float(ca @ cb)
            norm = []
            for s, x, y, coh in ((g, ga, gb, cg), (c, ca, cb, cc)):
                (mx, sx), (my, sy) = top_stats(x, coh), top_stats(y, coh)
                norm.append(0.5 * ((s - mx) / sx + (s - my) / sy))
            speech = min(ra["speech_seconds"] or ra["duration_seconds"], rb["speech_seconds"] or rb["duration_seconds"])
            rows.append((g, c, norm[0], norm[1], np.log(max(speech, 0.1)), 1.0 if label == "target" else 0.0))
            names.append((a, b))
        table[corpus], pairs[corpus] = np.array(rows), names
    return table, pairs


def cllr(llr, target):
    t, n = llr[target == 1], llr[target == 0]
    return 0.5 * (np.mean(np.logaddexp(0, -t)) + np.mean(np.logaddexp(0, n))) / np.log(2)


def eer(score, target):
    t, n = score[target == 1], score[target == 0]
    return min(max(np.mean(t < x), np.mean(n >= x)) for x in np.sort(score))


def fit(lists):
    """Linear logistic regression llr = w . x + b minimising the mean of the lists' Cllr (each list weighted equally)."""
    dim = lists[0][0].shape[1]
    objective = lambda w: np.mean([cllr(x @ w[:-1] + w[-1], y) for x, y in lists])
    w0 = np.zeros(dim + 1); w0[0] = 1
    return minimize(objective, w0, method="BFGS").x


def elub(llr, target, step=0.01):
    """Empirical lower and upper bound (natural-log LLRs): Vergeer et al. 2016, one misleading comparison per side."""
    hp, hd = llr[target == 1], llr[target == 0]
    hi = 0.0
    while hi < 30 and np.exp(hi + step) * (np.sum(hd >= hi + step) + 1) / (len(hd) + 1) + np.mean(hp < hi + step) < 1:
        hi += step
    lo = 0.0
    while lo > -30 and np.exp(-(lo - step)) * (np.sum(hp <= lo - step) + 1) / (len(hp) + 1) + np.mean(hd > lo - step) < 1:
        lo -= step
    return lo, hi


def held_out(table, features, bound=None):
    """Cllr and EER of each list scored by a calibration fitted on the other four."""
    out = {}
    for held in table:
        train = [(features(table[k]), table[k][:, 5]) for k in table if k != held]
        w = fit(train)
        llr = features(table[held]) @ w[:-1] + w[-1]
        lo = hi = None
        if bound == "elub":
            lo, hi = elub(np.concatenate([x @ w[:-1] + w[-1] for x, _ in train]), np.concatenate([y for _, y in train]))
        elif bound is not None:
            lo, hi = -bound, bound
        if lo is not None:
            llr = np.clip(llr, lo, hi)
        out[held] = (cllr(llr, table[held][:, 5]), eer(llr, table[held][:, 5]), lo, hi)
    return out


def held_out_min(table):
    """Each model calibrated on the other four lists, the smaller of the two LLRs taken (both models must agree
    for a large LR), and that recalibrated on the same four lists."""
    out = {}
    for held in table:
        others = [k for k in table if k != held]
        ws = [fit([(table[k][:, [m]], table[k][:, 5]) for k in others]) for m in (0, 1)]
        combined = lambda d: np.minimum(d[:, 0] * ws[0][0] + ws[0][1], d[:, 1] * ws[1][0] + ws[1][1])[:, None]
        w = fit([(combined(table[k]), table[k][:, 5]) for k in others])
        llr = combined(table[held]) @ w[:-1] + w[-1]
        out[held] = (cllr(llr, table[held][:, 5]), eer(llr, table[held][:, 5]))
    return out


def main():
    table, pairs = trial_table()
    fusion = lambda d: (0.5 * d[:, 0] + 0.5 * d[:, 1])[:, None]
    variants = [
        ("fusion (shipped)", fusion, None),
        ("ge2e", lambda d: d[:, [0]], None),
        ("campplus", lambda d: d[:, [1]], None),
        ("fusion, bounded at ELUB of the calibration data", fusion, "elub"),
        ("fusion, bounded at |log10 LR| <= 3", fusion, 3 * np.log(10)),
        ("fusion, bounded at |log10 LR| <= 2", fusion, 2 * np.log(10)),
        ("fusion + log(min speech s)", lambda d: np.c_[fusion(d), d[:, 4]], None),
        ("fusion of AS-normed scores", lambda d: (0.5 * d[:, 2] + 0.5 * d[:, 3])[:, None], None),
        # Fusions that are not a weighted sum: could one beat the better model on every list (issue 12)?
        ("fusion, both weights and offset fitted", lambda d: d[:, [0, 1]], None),
        ("quadratic fusion (ge2e, campplus, their product)", lambda d: np.c_[d[:, 0], d[:, 1], d[:, 0] * d[:, 1]], None),
    ]
    print("Held-out Cllr (EER %) per list, each list scored by a calibration fitted on the other four:\n")
    print("| calibration | " + " | ".join(c for c, _ in LISTS) + " |")
    print("|---|" + "---|" * len(LISTS))
    for name, features, bound in variants:
        res = held_out(table, features, bound)
        cells = []
        for c, _ in LISTS:
            cl, e, lo, hi = res[c]
            extra = f" [{lo / np.log(10):.1f}, {hi / np.log(10):.1f}]" if bound == "elub" else ""
            cells.append(f"{cl:.3f} ({100 * e:.2f}){extra}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    res = held_out_min(table)
    print("| min of the two models' calibrated LLRs, recalibrated | "
          + " | ".join(f"{res[c][0]:.3f} ({100 * res[c][1]:.2f})" for c, _ in LISTS) + " |")
    print("\nEER (%, threshold sweep) of w * GE2E + (1 - w) * CAM++ cosines, per list:\n")
    print("| GE2E weight w | " + " | ".join(c for c, _ in LISTS) + " |")
    print("|---|" + "---|" * len(LISTS))
    for w in np.linspace(0, 1, 11):
        print(f"| {w:.1f} | " + " | ".join(f"{100 * eer(w * table[c][:, 0] + (1 - w) * table[c][:, 1], table[c][:, 5]):.2f}"
                                           for c, _ in LISTS) + " |")
    d = table["synthetic"]
    f = 0.5 * d[:, 0] + 0.5 * d[:, 1]
    order = [i for i in np.argsort(-f) if d[i, 5] == 0][:12]
    print("\nSynthetic list: the highest-scoring different-voice trials (fused cosine; GE2E; CAM++):\n")
    for i in order:
        print(f"- {f[i]:.3f} ({d[i, 0]:.3f}; {d[i, 1]:.3f}) {pairs['synthetic'][i][0]} vs {pairs['synthetic'][i][1]}")
    # The same default espeak-ng voice with three language rule sets: how much of the held-out Cllr those trials carry.
    same_engine = {"espeak_en-gb", "espeak_en-us", "espeak_en-gb-scotland"}
    keep = np.array([not (d[i, 5] == 0 and a.split("/")[0] in same_engine and b.split("/")[0] in same_engine)
                     for i, (a, b) in enumerate(pairs["synthetic"])])
    reduced = dict(table); reduced["synthetic"] = d[keep]
    cl = held_out(reduced, fusion)["synthetic"][0]
    print(f"\nWithout the {int((~keep).sum())} different-voice trials between espeak en-gb, en-us and en-gb-scotland "
          f"(one voice, three accents), the synthetic list's held-out Cllr is {cl:.3f}.")
    t = f[d[:, 5] == 1]
    print(f"\nSynthetic same-voice trials: fused cosine min {t.min():.3f}, median {np.median(t):.3f}")
    for c, _ in LISTS:
        n = 0.5 * table[c][:, 0] + 0.5 * table[c][:, 1]
        n = n[table[c][:, 5] == 0]
        print(f"- {c}: different-speaker fused cosine 99th percentile {np.percentile(n, 99):.3f}, max {n.max():.3f}")


if __name__ == "__main__":
    main()
