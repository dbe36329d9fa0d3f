#!/usr/bin/env python3
"""Speech detection (SpeechPresenceDetector): false rejections on all development speech, and the verdicts on
sox-made noise, tones and music, and on speech mixed with white noise or music-like backgrounds.

Usage: swift build -c release --product likeness-bench && python3 benchmarks/speech_presence.py [--data ../shared/data]
Needs sox and numpy. Prints a Markdown report (the tables in BENCHMARKS.md, "Speech detection").
"""
import argparse, json, os, subprocess, sys, tempfile, wave
import numpy as np

BENCH = os.path.join(os.path.dirname(__file__), "..", ".build", "release", "likeness-bench")
AUDIO = (".wav", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".m4a")


def verdicts(files, *extra):
    """One JSON verdict per file, by likeness-bench speech (batched so the command line stays short)."""
    out = []
    for i in range(0, len(files), 200):
        run = subprocess.run([BENCH, "speech", *extra, *files[i:i + 200]], capture_output=True, text=True, check=True)
        out += [json.loads(line) for line in run.stdout.splitlines()]
    return out


def sox(*args):
    subprocess.run(["sox", *args], check=True, capture_output=True)


def read(path):
    with wave.open(path) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768


def write(path, x):
    with wave.open(path, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes((np.clip(x, -1, 32767 / 32768) * 32768).astype("<i2").tobytes())


def negatives(folder):
    """Noise, tones, sweeps and music-like signals, 10 s at 16 kHz (names say what they are)."""
    r = ["-r", "16000", "-b", "16", "-c", "1"]
    made = {
        "white noise": ["synth", "10", "whitenoise", "vol", "0.5"],
        "pink noise": ["synth", "10", "pinknoise", "vol", "0.5"],
        "brown noise": ["synth", "10", "brownnoise", "vol", "0.5"],
        "white noise, 4 Hz bursts": ["synth", "10", "whitenoise", "synth", "10", "sine", "amod", "4", "vol", "0.5"],
        "pink noise, 4 Hz bursts": ["synth", "10", "pinknoise", "synth", "10", "sine", "amod", "4", "vol", "0.5"],
        "sine sweep 20-8000 Hz linear": ["synth", "10", "sine", "20-8000", "vol", "0.5"],
        "sine sweep 20-8000 Hz exponential": ["synth", "10", "sine", "20:8000", "vol", "0.5"],
        "sine 440 Hz": ["synth", "10", "sine", "440", "vol", "0.5"],
        "sine 120 Hz": ["synth", "10", "sine", "120", "vol", "0.5"],
        "pluck chord C4 E4 G4": ["synth", "10", "pluck", "C4", "pluck", "E4", "pluck", "G4", "vol", "0.5"],
        "square 220 Hz, 4 Hz tremolo": ["synth", "10", "square", "220", "tremolo", "4", "80", "vol", "0.3"],
        "sawtooth 150 Hz, 5 Hz tremolo": ["synth", "10", "sawtooth", "150", "tremolo", "5", "100", "vol", "0.3"],
        "triangle 200 Hz, 6 Hz FM": ["synth", "10", "triangle", "200", "synth", "10", "sine", "fmod", "6", "vol", "0.3"],
    }
    paths = {}
    for name, args in made.items():
        paths[name] = os.path.join(folder, name.replace(" ", "_").replace(",", "") + ".wav")
        sox("-n", *r, paths[name], *args)
    # Note sequences: 12 plucked notes of 0.4 s; 8 square notes of 0.25 s with 50 ms gaps, twice.
    for name, synth, notes, length, pad in [
            ("plucked note sequence", "pluck", "C4 D4 E4 F4 G4 A4 B4 C5 A3 E4 G3 D4", "0.4", "0"),
            ("square note sequence", "square", "C3 E3 G3 C4 G3 E3 A3 F3 C3 E3 G3 C4 G3 E3 A3 F3", "0.25", "0.05")]:
        parts = []
        for i, note in enumerate(notes.split()):
            parts.append(os.path.join(folder, f"{synth}{i}.wav"))
            sox("-n", *r, parts[-1], "synth", length, synth, note, "vol", "0.4", "pad", "0", pad)
        paths[name] = os.path.join(folder, name.replace(" ", "_") + ".wav")
        sox(*parts, paths[name])
    return paths


def mixes(folder, speech, backgrounds):
    """Each speech file mixed with each background at each SNR (dB, speech RMS over background RMS)."""
    out = {}
    for bname, bpath, snrs in backgrounds:
        b = read(bpath)
        for snr in snrs:
            key = f"{bname} at {snr} dB SNR"
            out[key] = []
            for i, s_path in enumerate(speech):
                s = read(s_path)
                n = np.resize(b, len(s))
                gain = np.sqrt(np.mean(s ** 2) / max(np.mean(n ** 2), 1e-12)) / 10 ** (snr / 20)
                x = s + gain * n
                path = os.path.join(folder, f"mix_{len(out)}_{i}.wav")
                write(path, x / max(1.0, np.max(np.abs(x)) / 0.99))
                out[key].append(path)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    parser.add_argument("--mix-files", type=int, default=40, help="LibriSpeech files mixed with each background")
    args = parser.parse_args()
    data = os.path.abspath(args.data)
    print("## Development speech (every audio file; speech = listed in a speakers*.tsv)\n")
    print("| corpus | files | rejected | rejected when every length is judged | rejected files (default rule) |")
    print("|---|---|---|---|---|")
    for corpus in sorted(os.listdir(data)):
        root = os.path.join(data, corpus)
        if not os.path.isdir(root):
            continue
        listed = {line.split("\t")[0] for name in os.listdir(root) if name.startswith("speakers") and name.endswith(".tsv")
                  for line in open(os.path.join(root, name)) if line.strip()}
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.lower().endswith(AUDIO))
        speech = [f for f in files if os.path.relpath(f, root) in listed] or files
        others = [f for f in files if f not in speech]
        default = verdicts(speech)
        strict = verdicts(speech, "--minimum-judged", "0")
        rejected = [d for d in default if not d.get("speech_found", False)]
        shown = "; ".join(f"{os.path.relpath(d['file'], root)}: {d.get('reason', d.get('error'))}" for d in rejected) or "none"
        print(f"| {corpus} | {len(speech)} | {len(rejected)} | {sum(not d.get('speech_found', False) for d in strict)} | {shown} |")
        for d in verdicts(others):
            print(f"| {corpus} (not listed as speech) | {os.path.relpath(d['file'], root)} | "
                  f"{'rejected' if not d.get('speech_found') else 'passed'} | | {d.get('reason', '')} |")
    with tempfile.TemporaryDirectory() as folder:
        neg = negatives(folder)
        print("\n## Noise, tones and music (sox, 10 s at 16 kHz)\n")
        print("| signal | verdict | measurement |")
        print("|---|---|---|")
        for name, d in zip(neg, verdicts(list(neg.values()))):
            print(f"| {name} | {'speech found' if d['speech_found'] else 'no speech found'} | {d['reason']} |")
        libri = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(data, "librispeech_tc100"))
                       for f in fs if f.endswith(".flac") and "derived" not in d)[: args.mix_files]
        wavs = []
        for i, f in enumerate(libri):
            wavs.append(os.path.join(folder, f"speech{i}.wav"))
            sox(f, "-r", "16000", "-b", "16", "-c", "1", wavs[-1])
        backgrounds = [("white noise", neg["white noise"], [10, 5, 0]),
                       ("pink noise", neg["pink noise"], [10, 5, 0]),
                       ("plucked note sequence", neg["plucked note sequence"], [10, 5, 0]),
                       ("square note sequence", neg["square note sequence"], [10, 5, 0])]
        print(f"\n## LibriSpeech speech ({len(wavs)} files) mixed with a background\n")
        print("| background | files | rejected | median voiced speech found, s |")
        print("|---|---|---|---|")
        for key, files in mixes(folder, wavs, backgrounds).items():
            ds = verdicts(files)
            print(f"| {key} | {len(ds)} | {sum(not d['speech_found'] for d in ds)} | "
                  f"{np.median([d['speech'] for d in ds]):.1f} |")


if __name__ == "__main__":
    sys.exit(main())
