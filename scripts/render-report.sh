#!/usr/bin/env bash
# Renders a likeness HTML report to a PNG with headless Chromium, to look at what a reader sees.
#   bash scripts/render-report.sh report.html [report.screenshot.png]
# The screenshot is for checking the layout; keep it out of git (name it *.screenshot.png, which is ignored).
set -euo pipefail
html=$(realpath "${1:?usage: render-report.sh REPORT.html [OUT.png]}")
png=$(realpath -m "${2:-${html%.html}.screenshot.png}")
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "render-report: no chromium found (apt install chromium)" >&2; exit 1; }
# --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,3000 \
    --screenshot="$png" "file://$html" 2>/dev/null
echo "wrote $png"
