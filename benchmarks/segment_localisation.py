#!/usr/bin/env python3
"""Where does an enrolled voice speak in a long recording? `likeness scan`'s segments on recordings with known turns.

The setting of issue 14: LibriSpeech speakers (../shared/data/librispeech_tc100) taking turns of 10-20 s, a target
speaker present three times. For each of RECORDINGS recordings: the target is enrolled from the A half of its
utterance (about 7 s), together with 20 other speakers enrolled the same way (other artists the scan weighs the
target against); the recording is 9 turns with 0.4 s pauses: the target's three turns are its B half played twice
(about 14 s; LibriSpeech has one utterance per speaker here, so a turn repeats audio, never the enrolment audio),
the six other turns are whole utterances (10-20 s) of three enrolled and three unenrolled speakers.

Measured, summed over the recordings: found = time of the target's segments inside its turns / the target's turn
time (goal at least 90 %); false = time of the target's segments outside its turns / all the target's segment time
(goal under 5 %). The other artists' segments are counted too (time outside their own turns).

Usage: python3 benchmarks/segment_localisation.py [LIKENESS_BINARY]  (env RECORDINGS=6, ARGS="extra scan options")
Work files: benchmarks/work/localisation/.
"""
import json, os, random, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".build" / "release" / "likeness")
DATA = ROOT.parent / "shared" / "data" / "librispeech_tc100"
WORK = ROOT / "benchmarks" / "work" / "localisation"
ARGS = os.environ.get("ARGS", "").split()
RECORDINGS = int(os.environ.get("RECORDINGS", "6"))
PAUSE = 0.4


def run(*args, check=True):
    return subprocess.run([str(a) for a in args], check=check, capture_output=True, text=True)


def duration(path):
    return float(run("soxi", "-D", path).stdout)


def artist_id(speaker):
    return "s" + speaker


def prepare(index, target, rng, speakers, full):
    """One recording and its registry; returns the truth: [(speaker or None, start, end)] and the target."""
    folder = WORK / f"rec{index}"
    truth_file = folder / "truth.json"
    if truth_file.exists():
        return json.loads(truth_file.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    chosen = rng.sample([s for s in speakers if s != target], 26)
    enrolled_others, strangers = chosen[:20], chosen[20:26]
    registry = folder / "reg.sqlite"
    for s in [target] + enrolled_others:
        run(BIN, "enroll", "--artist", s, "--id", artist_id(s), "--consent", "benchmark",
            DATA / "derived_halves" / f"{s}_A.flac", "--registry", registry, check=False)
    others = [(s, full[s]) for s in enrolled_others[:3] + strangers[:3]]
    rng.shuffle(others)
    turns = others[:]
    for position in sorted(rng.sample(range(7), 3), reverse=True):
        turns.insert(position, (target, None))
    parts, truth, t = [], [], 0.0
    pause = folder / "pause.wav"
    run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", pause, "trim", "0", str(PAUSE))
    for k, (s, path) in enumerate(turns):
        part = folder / f"turn{k}.wav"
        if path is None:
            b = DATA / "derived_halves" / f"{s}_B.flac"
            run("sox", b, b, "-r", "16000", "-c", "1", "-b", "16", part)
        else:
            run("sox", path, "-r", "16000", "-c", "1", "-b", "16", part)
        d = duration(part)
        truth.append((s, t, t + d))
        parts += [part, pause]
        t += d + PAUSE
    run("sox", *parts, folder / "recording.wav")
    for p in parts[::2]:
        p.unlink()
    result = {"target": target, "turns": truth}
    truth_file.write_text(json.dumps(result))
    return result


def overlap(a, b, spans):
    return sum(max(0.0, min(b, e) - max(a, s)) for s, e in spans)


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    halves = DATA / "derived_halves"
    speakers = sorted(f.name[:-len("_A.flac")] for f in halves.glob("*_A.flac") if (halves / (f.name[:-6] + "B.flac")).exists())
    full = {}
    for f in (DATA / "train-clean-100").glob("*.flac"):
        full[f.stem] = f
    speakers = [s for s in speakers if s in full and 10 <= duration(full[s]) <= 20]
    rng = random.Random(14)
    targets = rng.sample(speakers, RECORDINGS)
    totals = dict(target_time=0.0, found=0.0, segment_time=0.0, false=0.0, others_segment_time=0.0, others_false=0.0)
    print("recording | target | target turns (s) | found (s) | target segments (s) | false (s) | other artists' segment time / false (s)")
    for i in range(RECORDINGS):
        truth = prepare(i, targets[i], rng, speakers, full)
        target, turns = truth["target"], truth["turns"]
        out = WORK / f"rec{i}" / "scan.jsonl"
        out.unlink(missing_ok=True)
        run(BIN, "scan", WORK / f"rec{i}" / "recording.wav", "--registry", WORK / f"rec{i}" / "reg.sqlite",
            "--out", out, "--no-progress", *ARGS, check=False)
        own = [(s, e) for sp, s, e in turns if sp == target]
        target_time = sum(e - s for s, e in own)
        found = segment_time = false = others_time = others_false = 0.0
        for line in out.read_text().splitlines() if out.exists() else []:
            row = json.loads(line)
            for seg in row.get("segments") or []:
                a, b = seg["start"], seg["end"]
                if row.get("artist") == artist_id(target):
                    inside = overlap(a, b, own)
                    found += inside
                    segment_time += b - a
                    false += b - a - inside
                else:
                    mine = [(s, e) for sp, s, e in turns if artist_id(sp) == row.get("artist")]
                    others_time += b - a
                    others_false += b - a - overlap(a, b, mine)
        print(f"{i} | {target} | {target_time:.1f} | {found:.1f} | {segment_time:.1f} | {false:.1f} | {others_time:.1f} / {others_false:.1f}")
        for k, v in zip(totals, (target_time, found, segment_time, false, others_time, others_false)):
            totals[k] += v
    t = totals
    print(f"\nall {RECORDINGS}: found {100 * t['found'] / t['target_time']:.1f} % of the target's {t['target_time']:.0f} s; "
          f"false {100 * t['false'] / max(t['segment_time'], 1e-9):.1f} % of its {t['segment_time']:.0f} s of segments; "
          f"other artists: {t['others_false']:.1f} of {t['others_segment_time']:.1f} s of segments outside their turns")


if __name__ == "__main__":
    main()
