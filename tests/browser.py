"""A headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4).

No driver binary, no port, no extra package: Chromium's ``--remote-debugging-pipe``
reads and writes NUL-terminated JSON messages on two file descriptors, which is all
the page tests need (navigate, evaluate, type, click, press keys, screenshot, and
the network log of what the page asked for).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
TIMEOUT = 30  # seconds without a message from chromium before a test fails
KEYS = {  # key -> (code, Windows virtual key code) for Input.dispatchKeyEvent
    " ": ("Space", 32),
    "ArrowRight": ("ArrowRight", 39),
    "ArrowLeft": ("ArrowLeft", 37),
    "Escape": ("Escape", 27),
}


class BrowserError(RuntimeError):
    pass


class Browser:
    """One Chromium with one page; ``events`` keeps every event it sent."""

    def __init__(self, profile: Path, width: int = 1200, height: int = 900) -> None:
        to_child, self._writer = os.pipe()
        self._reader, from_child = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4
            read_end = fcntl.fcntl(to_child, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_child, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        profile.mkdir(parents=True, exist_ok=True)
        self.log = profile / "chromium.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    CHROMIUM,
                    *FLAGS,
                    f"--user-data-dir={profile}",
                    f"--window-size={width},{height}",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                pass_fds=(3, 4),
                preexec_fn=wire,  # noqa: PLW1509 (the tests start it from one thread)
            )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        try:
            self._set_up(width, height)
        except (BrowserError, OSError) as exc:
            self.close()
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise BrowserError(f"chromium did not start: {exc}\n{tail}") from exc

    @classmethod
    def start(cls, profile: Path, attempts: int = 3) -> Browser:
        """A started browser; a start that fails (a busy machine can keep Chromium from
        answering in time) is retried with a fresh profile, and the last error raised."""
        for attempt in range(1, attempts + 1):
            try:
                return cls(profile / f"attempt-{attempt}")
            except BrowserError:
                if attempt == attempts:
                    raise
        raise AssertionError("unreachable")

    def _set_up(self, width: int, height: int) -> None:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.resize(width, height)

    def resize(self, width: int, height: int = 900) -> None:
        """Lay the page out in a window this size (a phone is 390 px wide)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._writer)
        os.close(self._reader)

    # ------------------------------------------------------------------ protocol

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._writer, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if not select.select([self._reader], [], [], TIMEOUT)[0]:
                raise BrowserError(f"chromium said nothing for {TIMEOUT} s")
            chunk = os.read(self._reader, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        data: dict[str, Any] = json.loads(message)
        return data

    def wait_for(self, method: str) -> dict[str, Any]:
        """The first event ``method`` not yet taken (reading more until it comes)."""
        while True:
            for event in self.events:
                if event["method"] == method and not event.get("_taken"):
                    event["_taken"] = True
                    return event
            reply = self._receive()
            if "method" in reply:
                self.events.append(reply)

    # ------------------------------------------------------------------ page

    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event (a same-page #anchor has none)."""
        if "loaderId" in self.call("Page.navigate", session=True, url=url):
            self.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element."""
        box = self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            "return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                session=True,
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def type(self, text: str) -> None:
        self.call("Input.insertText", session=True, text=text)

    def press(self, key: str) -> None:
        code, vk = KEYS[key]
        for kind in ("keyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent",
                session=True,
                type=kind,
                key=key,
                code=code,
                windowsVirtualKeyCode=vk,
            )

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def requests(self) -> list[str]:
        """Every URL the page asked for, in order (the network log)."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]
