"""Real-browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live_server.

Nothing here downloads a browser. Without Chromium the tests skip on a laptop and fail in CI (CI is set).
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# axe-core comes from the npm registry and is never committed; .ci/run fetches the same version.
AXE_VERSION = "4.14.1"
AXE_CACHE = Path.home() / ".cache" / "tutorial-axe"

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's own sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real-browser test (Chromium via Playwright, needs live_server)")
    # pytest-playwright 0.10's own base_url fixture trips a pytest 9 deprecation; nothing here to fix.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning")


def _missing(reason: str):
    """Skip on a developer's machine; in CI a missing tool is a failure, not a quiet skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — CI must install it (.ci/run)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.access(path, os.X_OK) else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at the system Chromium."""
    path = chromium_path()
    if path is None:
        _missing("Chromium not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def playwright(playwright):
    # The sync API keeps an asyncio loop running on the main thread until the session ends, and Django
    # refuses ORM calls from a thread with a running loop (pytest-django's database flushes included),
    # here and in every test that runs after these.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return playwright


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 1000}, "locale": "ko-KR"}


def _axe_candidates() -> list[Path]:
    found = [Path(os.environ["AXE_JS"])] if os.environ.get("AXE_JS") else []
    return found + [AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js, fetched once into ~/.cache/tutorial-axe with npm when it is not there yet."""
    for path in _axe_candidates():
        if path.is_file():
            return path.read_text()
    npm = shutil.which("npm")
    if npm:
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(AXE_CACHE), "--no-audit", "--no-fund", "--silent",
                        f"axe-core@{AXE_VERSION}"], check=False, timeout=180)
    for path in _axe_candidates():
        if path.is_file():
            return path.read_text()
    _missing(f"axe-core not found (set AXE_JS, or: npm install --prefix {AXE_CACHE} axe-core@{AXE_VERSION})")
