"""How well `likeness scan` segments find enrolled voices in a long recording, per window threshold.

Usage: python3 benchmarks/segment_threshold.py [LIKENESS_BINARY] (env THR="0.76 0.78 0.8" picks thresholds; env
ARGS adds scan options, e.g. ARGS="--model campplus --confirm-piece 3": THR is then CAM++'s piece cosine; without
--model in ARGS the scan uses GE2E).
Needs ../shared/data/librispeech_tc100/derived_halves. Work files go to benchmarks/work/segments/.

40 speakers are enrolled from the A half of their utterance; a recording is made of the B halves of 12 of
them and of 6 speakers who are not enrolled, with 1 s of silence between. For each threshold it prints how
much of the enrolled speakers' speech is covered by segments of the right artist, and how much segment time
is false (wrong artist or not enrolled), summed over all artists, and the candidate audio: the union of all
segments over all artists (what a confirming model embeds when these are the screen's segments), and how much of
the unenrolled speakers' speech lies in it. The speakers are enrolled with GE2E and with CAM++.
"""
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".build" / "release" / "likeness")
HALVES = ROOT.parent / "shared" / "data" / "librispeech_tc100" / "derived_halves"
WORK = ROOT / "benchmarks" / "work" / "segments"
ENV = dict(os.environ, LIKENESS_MODEL=str(ROOT / "models" / "ge2e-resemblyzer-0.1.4.safetensors"),
           LIKENESS_CAMPP_MODEL=str(ROOT / "models" / "campplus-3dspeaker-cn-en-common.safetensors"))
ARGS = os.environ.get("ARGS", "").split()
if "--model" not in ARGS:  # the thresholds were measured for GE2E; the CLI's default model is now the fusion
    ARGS = ["--model", "ge2e"] + ARGS


def run(*args, check=True):
    return subprocess.run([str(a) for a in args], check=check, capture_output=True, text=True, env=ENV)


def enrolled_speakers():
    speakers = sorted({f.name.split("_")[0] for f in HALVES.glob("*_A.flac")})
    random.seed(3)
    return speakers, random.sample(speakers, 40)


def enrol(enrolled, model):
    for s in enrolled:  # a few halves have under 3 s of speech and are rejected; they stay in the truth as strangers
        run(BIN, "enroll", "--artist", s, "--id", "a" + s.replace("-", "_"), "--consent", "benchmark", "--model", model,
            HALVES / f"{s}_A.flac", "--registry", WORK / "reg.sqlite", check=False)


def prepare():
    speakers, enrolled = enrolled_speakers()
    enrol(enrolled, "ge2e")
    enrol(enrolled, "campplus")
    order = enrolled[:12] + [s for s in speakers if s not in enrolled][:6]
    random.shuffle(order)
    parts, truth, t = [], [], 0.0
    for s in order:
        part, gap = WORK / f"p_{s}.wav", WORK / f"g_{s}.wav"
        run("sox", HALVES / f"{s}_B.flac", "-r", "16000", "-c", "1", part)
        run("sox", "-n", "-r", "16000", "-c", "1", gap, "trim", "0", "1.0")
        d = float(run("soxi", "-D", part).stdout)
        parts += [part, gap]
        truth.append(("a" + s.replace("-", "_") if s in enrolled else None, t, t + d))
        t += d + 1
    run("sox", *parts, WORK / "rec.wav")
    (WORK / "truth.json").write_text(json.dumps(truth))
    (WORK / "campplus-enrolled").touch()


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    if not (WORK / "truth.json").exists():
        prepare()
    if not (WORK / "campplus-enrolled").exists():  # prepared before the CAM++ voiceprints were added
        enrol(enrolled_speakers()[1], "campplus")
        (WORK / "campplus-enrolled").touch()
    if not (WORK / "fusion-enrolled").exists():  # the fused voiceprints (the clips' GE2E and CAM++ ones are there)
        enrol(enrolled_speakers()[1], "fusion")
        (WORK / "fusion-enrolled").touch()
    truth = json.loads((WORK / "truth.json").read_text())
    print(f"recording {truth[-1][2]:.1f} s")
    for threshold in [float(x) for x in os.environ.get("THR", "0.76 0.78 0.8 0.85").split()]:
        out = WORK / "out.jsonl"
        out.unlink(missing_ok=True)
        run(BIN, "scan", WORK / "rec.wav", "--registry", WORK / "reg.sqlite", "--segment-min-score", threshold,
            "--out", out, "--no-progress", *ARGS)
        enrolled_speech = sum(e - b for a, b, e in truth if a)
        stranger_speech = sum(e - b for a, b, e in truth if not a)
        covered = false = 0.0
        spans = []
        for line in out.read_text().splitlines():
            row = json.loads(line)
            for seg in row.get("segments") or []:
                own = sum(max(0.0, min(seg["end"], e) - max(seg["start"], b)) for a, b, e in truth if a == row["artist"])
                covered += own
                false += seg["end"] - seg["start"] - own
                spans.append((seg["start"], seg["end"]))
        union = []
        for b, e in sorted(spans):
            if union and b <= union[-1][1]:
                union[-1][1] = max(union[-1][1], e)
            else:
                union.append([b, e])
        flagged = sum(max(0.0, min(e, y) - max(b, x)) for x, y in union for a, b, e in truth if not a)
        print(f"threshold {threshold}: enrolled speech covered {covered:.1f} of {enrolled_speech:.1f} s; "
              f"false segment time {false:.1f} s; segment union {sum(y - x for x, y in union):.1f} of "
              f"{truth[-1][2]:.1f} s, {flagged:.1f} of the {stranger_speech:.1f} s of unenrolled speech")


if __name__ == "__main__":
    main()
