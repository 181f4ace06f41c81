#!/usr/bin/env python3
"""Opens a page in headless Chromium and reports what happened, as one JSON object on stdout.

    page.py PAGE.html SCREENSHOT.png [--probe PROBE.js] [--height PIXELS]

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe), with
nothing but the standard library. The report holds:

- "requests": every URL the page asked for, the page's own file:// URL included;
- "console": every console message, uncaught exception and browser log entry (a blocked
  request or a Content-Security-Policy violation is one);
- "probe": the value of PROBE.js (an expression, evaluated after load, awaited if a promise);
- "screenshot": the PNG written (the page's top, 1280 pixels wide, at most 2400 high, or
  PIXELS).

Exits 2 when Chromium cannot be found or started.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 120  # seconds, for the whole visit


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    def __init__(self, binary, profile):
        # The pipe's ends as the browser sees them: it reads commands on fd 3, writes on fd 4.
        commands_r, self.commands_w = os.pipe()
        self.replies_r, replies_w = os.pipe()

        def child_fds():
            # Moved above 4 first, so that placing them on 3 and 4 cannot clobber each other.
            a = os.dup(commands_r) if commands_r <= 4 else commands_r
            b = os.dup(replies_w) if replies_w <= 4 else replies_w
            a = os.dup(a) if a <= 4 else a
            b = os.dup(b) if b <= 4 else b
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-pipe",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            # Every descriptor but 3 and 4 (made inheritable by dup2) closes on exec.
            preexec_fn=child_fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_r)
        os.close(replies_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.commands_w, json.dumps(message).encode() + b"\0")
        return self.wait(lambda m: m.get("id") == self.next_id)

    def read(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.replies_r, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait(self, matches, deadline=None):
        deadline = deadline or time.monotonic() + TIMEOUT
        while True:
            message = self.read(deadline)
            if matches(message):
                if "error" in message:
                    raise RuntimeError(f"DevTools: {message['error']}")
                return message
            if "method" in message:
                self.events.append(message)

    def close(self):
        try:
            self.send("Browser.close")
        except (EOFError, OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def console_entries(events):
    entries = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            entries.append({"level": params.get("type"), "text": text})
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            entries.append({"level": "exception", "text": text})
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            entries.append({"level": entry.get("level"), "text": entry.get("text"), "url": entry.get("url")})
    return entries


def main():
    args = sys.argv[1:]
    probe = None
    if "--probe" in args:
        at = args.index("--probe")
        with open(args[at + 1], encoding="utf-8") as f:
            probe = f.read()
        del args[at : at + 2]
    most = 2400
    if "--height" in args:
        at = args.index("--height")
        most = int(args[at + 1])
        del args[at : at + 2]
    page, screenshot = os.path.abspath(args[0]), args[1]
    binary = find_chromium()
    if binary is None:
        print("page.py: no Chromium on PATH (set CHROMIUM)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(binary, profile)
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
            for domain in ("Page", "Network", "Runtime", "Log"):
                browser.send(f"{domain}.enable", session=session)
            browser.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            url = "file://" + page
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait(lambda m: m.get("method") == "Page.loadEventFired")
            result = None
            if probe is not None:
                reply = browser.send(
                    "Runtime.evaluate",
                    {"expression": probe, "returnByValue": True, "awaitPromise": True},
                    session=session,
                )["result"]
                if "exceptionDetails" in reply:
                    raise RuntimeError(f"the probe threw: {reply['exceptionDetails']}")
                result = reply["result"].get("value")
            # Back to the top, unfiltered and unsorted views aside: the probe may have scrolled.
            browser.send("Runtime.evaluate", {"expression": "window.scrollTo(0, 0)"}, session=session)
            metrics = browser.send("Page.getLayoutMetrics", session=session)["result"]
            height = min(most, int(metrics["cssContentSize"]["height"]))
            shot = browser.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1},
                },
                session=session,
            )["result"]["data"]
            os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
            with open(screenshot, "wb") as f:
                f.write(base64.b64decode(shot))
            # Events that arrived while the last commands ran.
            requests = [
                e["params"]["request"]["url"]
                for e in browser.events
                if e["method"] == "Network.requestWillBeSent"
            ]
            report = {
                "url": url,
                "requests": requests,
                "console": console_entries(browser.events),
                "probe": result,
                "screenshot": os.path.abspath(screenshot),
            }
        finally:
            browser.close()
    json.dump(report, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
