#!/usr/bin/env python3
"""Drives the artists' web page of `likeness serve` in headless Chromium over the DevTools protocol (CDP), with
nothing but the Python standard library: sign in with an artist token, enrol by uploading clips, see the artist
listed, withdraw consent, take a screenshot. Exits 0 when every step showed what it should; prints each step.

  python3 scripts/web-check.py --url http://127.0.0.1:8080/ --token lk_... --name "Alice Example" \
      --clip samples/alice_1.wav --clip samples/alice_2.wav --screenshot enrol.screenshot.png
"""
import argparse, base64, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request


class WebSocket:
    """A minimal RFC 6455 client: text frames, masked, no extensions (what CDP needs)."""

    def __init__(self, url):
        match = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        host, port, path = match.group(1), int(match.group(2)), match.group(3)
        self.sock = socket.create_connection((host, port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("WebSocket handshake refused: " + head.decode(errors="replace"))

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])
        n = len(data)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise RuntimeError("DevTools connection closed")
            out += chunk
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(n)
            opcode = b0 & 0x0F
            if opcode == 0x9:  # ping: answer, keep reading
                continue
            if opcode == 0x8:
                raise RuntimeError("DevTools closed the connection")
            message += payload
            if b0 & 0x80:
                return message.decode()


class Page:
    def __init__(self, ws):
        self.ws, self.next_id = ws, 0

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == my_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression, what, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(expression):
                return
            time.sleep(0.1)
        status = self.js("document.getElementById('status').textContent")
        raise RuntimeError(f"timed out waiting for {what} (page status: {status!r})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--artist-id", required=True)
    parser.add_argument("--clip", action="append", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--record-from", help="also record a clip in the page: Chromium's fake microphone plays this WAV")
    parser.add_argument("--record-seconds", type=float, default=7.0)
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    args = parser.parse_args()

    profile = tempfile.mkdtemp(prefix="likeness-web-check-")
    microphone = []
    if args.record_from:
        microphone = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                      f"--use-file-for-fake-audio-capture={os.path.abspath(args.record_from)}"]
    browser = subprocess.Popen([args.chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1000,1400",
                                "--autoplay-policy=no-user-gesture-required"] + microphone + ["about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        port = None
        deadline = time.time() + 60
        while port is None and time.time() < deadline:
            line = browser.stderr.readline()
            if not line and browser.poll() is not None:
                raise RuntimeError("chromium exited before DevTools started")
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                port = int(match.group(1))
        if port is None:
            raise RuntimeError("chromium did not start DevTools")
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        target = next(t for t in targets if t["type"] == "page")
        page = Page(WebSocket(target["webSocketDebuggerUrl"]))
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Page.navigate", url=args.url)
        page.wait("document.readyState === 'complete' && !!document.getElementById('token')", "the page to load")
        print("step: page loaded")

        page.js(f"document.getElementById('token').value = {json.dumps(args.token)}; document.getElementById('signin').click()")
        page.wait("!document.getElementById('enrol-section').hidden && "
                  "document.getElementById('consent-text').textContent.length > 40", "sign-in and the consent text")
        print("step: signed in:", page.js("document.getElementById('whoami').textContent"))

        page.js(f"document.getElementById('name').value = {json.dumps(args.name)}")
        if args.record_from:
            page.js("document.getElementById('record').click()")
            page.wait("document.getElementById('stop').disabled === false", "recording to start")
            time.sleep(args.record_seconds)
            page.js("document.getElementById('stop').click()")
            page.wait("document.getElementById('recordings').innerText.includes('recording-1.wav')", "the recording as WAV")
            print("step: recorded:", page.js("document.getElementById('recordings').innerText"))
        document = page.call("DOM.getDocument")
        node = page.call("DOM.querySelector", nodeId=document["root"]["nodeId"], selector="#files")
        page.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[os.path.abspath(c) for c in args.clip])
        page.js("document.getElementById('consent-accept').click()")
        page.js("document.getElementById('enrol').click()")
        page.wait("document.getElementById('status').textContent === 'Enrolled.'", "the enrolment", timeout=120)
        print("step: enrolled:", page.js("document.getElementById('result').innerText").replace("\n", " | "))

        page.wait(f"document.getElementById('artists').innerText.includes({json.dumps(args.artist_id)})", "the artist in the list")
        print("step: listed:", page.js("document.getElementById('artists').innerText").replace("\n", " | ").replace("\t", " "))

        page.wait("!document.getElementById('artist-section').hidden && !document.getElementById('withdraw').disabled",
                  "the consent panel")
        page.js("document.getElementById('withdraw').click()")
        page.wait("(document.getElementById('consent-status') || {textContent: ''}).textContent.includes('withdrawn')",
                  "the withdrawal")
        print("step: consent:", page.js("document.getElementById('consent-status').textContent"))

        shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        with open(args.screenshot, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        print("step: screenshot", args.screenshot)
        return 0
    except Exception as error:  # one line for the test's message
        print("web check failed:", error, file=sys.stderr)
        return 1
    finally:
        browser.kill()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
