"""make screenshots: the pages readers see first, at a laptop's and a phone's size, written to
docs/screenshots/ for the README. A throwaway SQLite database with the shipped dataset, the
development server on 127.0.0.1, and Debian's Chromium driven by Playwright."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PAGES = {
    "home": "/",
    "issue": "/issues/nato-enlargement/",
    "compare": "/compare/?party=russia&party=united-states&party=nato",
    "source": "/sources/trenin-week-of-talks/",
    "search": "/search/?q=missile",
}
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/shots.sqlite3"}
        python = sys.executable
        for command in (["migrate", "-v0"], ["load_dataset", "-v0"]):
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)
        port = free_port()
        server = subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/about/")
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox"]
                )
                for size, (width, height) in SIZES.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    for name, url in PAGES.items():
                        page.goto(base + url)
                        path = OUT / f"{name}-{size}.png"
                        page.screenshot(path=str(path))  # the first screen: what a reader sees
                        print(f"wrote {path.relative_to(ROOT)}")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
