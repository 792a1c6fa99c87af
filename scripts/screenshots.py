"""Screenshots of the main pages in headless Chromium, to look at what users see.

Needs Playwright for Python (`pip install playwright`) and Debian's chromium + fonts-noto-cjk;
a running server with the demo district (`make run`). Usage:
    python scripts/screenshots.py [BASE_URL] [OUT_DIR] [PATH ...]
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
PAGES = sys.argv[3:] or ["/", "/enterprises/", "/enterprises/?q=tj&sort=-revenue"]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page.goto(f"{BASE}/login/")
        page.fill("#id_username", os.environ.get("PEIYU_USER", "bureau"))
        page.fill("#id_password", "Peiyu@2026")
        page.click("button.btn-peiyu")
        for i, path in enumerate(PAGES):
            page.goto(BASE + path)
            page.wait_for_timeout(800)  # let charts draw
            page.screenshot(path=str(OUT / f"{i:02d}.png"), full_page=True)
            print(OUT / f"{i:02d}.png", path)
        browser.close()


if __name__ == "__main__":
    main()
