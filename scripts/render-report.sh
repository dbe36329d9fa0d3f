#!/usr/bin/env bash
# Renders a likeness HTML report with headless Chromium, to look at what a reader sees:
#   bash scripts/render-report.sh report.html [OUT.png|OUT.pdf]
# A .png is a screenshot of the page as a browser shows it (HEIGHT, default 3000 px, sets how much of the page);
# a .pdf is the page as printed (A4, the report's print style). Default: report.screenshot.png.
# Keep the output out of git (name it *.screenshot.png, which is ignored).
set -euo pipefail
html=$(realpath "${1:?usage: render-report.sh REPORT.html [OUT.png|OUT.pdf]}")
out=$(realpath -m "${2:-${html%.html}.screenshot.png}")
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "render-report: no chromium found (apt install chromium, or run scripts/setup.sh)" >&2; exit 1; }
rm -f "$out"
# --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start. A throw-away profile, so
# parallel runs do not share one.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" --no-first-run)
case "$out" in
  *.pdf) "$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out" "file://$html" >/dev/null 2>&1 ;;
  *) "$browser" "${flags[@]}" --window-size="1100,${HEIGHT:-3000}" --screenshot="$out" "file://$html" >/dev/null 2>&1 ;;
esac
[ -s "$out" ] || { echo "render-report: chromium wrote nothing to $out" >&2; exit 1; }
echo "wrote $out"
