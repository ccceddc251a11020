"""A small client of a running `trailmap serve`, shared by the workspace test scripts.

It drives the server the way a person and a script do: the HTML forms for signing up and in
(with the CSRF token the pages embed), and the JSON API with an API token. Only loopback
servers are allowed, so no test can be pointed at someone else's machine by mistake.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[2]
CSRF_FIELD = re.compile(r'name="_csrf"\s+value="([0-9a-f]+)"')
LISTENING = re.compile(r"http://127\.0\.0\.1:\d+")


def require_loopback(base: str) -> str:
    host = urlsplit(base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to test {base}: only loopback servers are tested")
    return base.rstrip("/")


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    if not found:
        raise AssertionError("the page has no _csrf field")
    return found.group(1)


class Browser:
    """A cookie-keeping client that fills in the server's forms."""

    def __init__(self, base: str):
        self.base = require_loopback(base)
        self.http = httpx.Client(base_url=self.base, follow_redirects=False, timeout=30)

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **kw) -> httpx.Response:
        return self.http.get(path, **kw)

    def form(self, page: str, action: str, fields: dict[str, str]) -> httpx.Response:
        """Opens `page`, takes its CSRF token, posts `fields` to `action`."""
        shown = self.http.get(page)
        token = csrf_of(shown.text)
        return self.http.post(action, data={"_csrf": token, **fields})

    def signup(self, display_name: str, handle: str, email: str, password: str, invite: str | None = None) -> httpx.Response:
        page = "/signup" + (f"?invite={invite}" if invite else "")
        fields = {"display_name": display_name, "handle": handle, "email": email, "password": password}
        if invite:
            fields["invite"] = invite
        r = self.form(page, "/signup", fields)
        if r.status_code not in (302, 303):
            raise AssertionError(f"sign-up of {email} failed: {r.status_code} {r.text[:500]}")
        return r

    def login(self, email: str, password: str) -> httpx.Response:
        return self.form("/login", "/login", {"email": email, "password": password, "next": "/"})

    def session_csrf(self) -> str:
        """The signed-in session's CSRF token, from any page with a form."""
        return csrf_of(self.http.get("/account").text)

    def api_token(self, name: str = "tests") -> str:
        """Makes an API token for the signed-in user through the API (session + CSRF header)."""
        r = self.http.post("/api/v1/tokens", json={"name": name}, headers={"X-CSRF-Token": self.session_csrf()})
        if r.status_code != 201:
            raise AssertionError(f"could not make an API token: {r.status_code} {r.text[:500]}")
        return r.json()["secret"]


class Api:
    """The JSON API with a Bearer token."""

    def __init__(self, base: str, token: str, timeout: float = 30):
        self.base = require_loopback(base)
        self.http = httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def me(self) -> dict:
        return self.ok(self.http.get("/api/v1/me"))

    def workspaces(self) -> list[dict]:
        return self.ok(self.http.get("/api/v1/workspaces"))["workspaces"]

    def create_map(self, workspace: str, yaml: str, slug: str | None = None, title: str | None = None) -> dict:
        body = {"yaml": yaml, "slug": slug, "title": title}
        return self.ok(self.http.post(f"/api/v1/workspaces/{workspace}/maps", json={k: v for k, v in body.items() if v is not None}), 201)

    def map(self, map_id: int) -> dict:
        return self.ok(self.http.get(f"/api/v1/maps/{map_id}"))

    def versions(self, map_id: int) -> list[dict]:
        return self.ok(self.http.get(f"/api/v1/maps/{map_id}/versions"))["versions"]

    def version(self, map_id: int, number: int) -> dict:
        return self.ok(self.http.get(f"/api/v1/maps/{map_id}/versions/{number}"))

    def save(self, map_id: int, base: int, yaml: str, message: str = "") -> httpx.Response:
        return self.http.post(f"/api/v1/maps/{map_id}/versions", json={"base_version": base, "yaml": yaml, "message": message})

    @staticmethod
    def ok(r: httpx.Response, status: int = 200):
        if r.status_code != status:
            raise AssertionError(f"{r.request.method} {r.request.url.path}: expected {status}, got {r.status_code}: {r.text[:500]}")
        return r.json()


def default_workspace(api: Api) -> str:
    spaces = api.workspaces()
    if not spaces:
        raise AssertionError("the admin has no workspace")
    first = spaces[0]
    return (first.get("workspace") or first)["slug"]


def small_map(journey_id: str = "onboarding") -> str:
    """A valid map to import: the onboarding starter template, with its own journey id."""
    text = (REPO / "crates/trailmap-model/templates/onboarding.yaml").read_text()
    return text.replace("  id: onboarding\n", f"  id: {journey_id}\n", 1)


class Server:
    """`trailmap serve` on a database, on a port the system picks, in the background."""

    def __init__(self, binary: str, database: str, log_dir: str | None = None):
        self.binary = binary
        self.database = database
        self.log_dir = log_dir or tempfile.mkdtemp(prefix="trailmap-ws-")
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.starts = 0

    def start(self, timeout: float = 30) -> str:
        self.starts += 1
        log = open(os.path.join(self.log_dir, f"server-{self.starts}.log"), "w+b")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--database", self.database, "--bind", "127.0.0.1:0"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"trailmap serve exited with {self.proc.returncode}: {Path(log.name).read_text()}")
            found = LISTENING.search(Path(log.name).read_text(errors="replace"))
            if found:
                try:
                    if httpx.get(found.group(0) + "/healthz", timeout=2).status_code == 200:
                        self.url = found.group(0)
                        return self.url
                except httpx.TransportError:
                    pass
            time.sleep(0.05)
        raise AssertionError(f"trailmap serve did not answer within {timeout} s: {Path(log.name).read_text()}")

    def kill9(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def bootstrap_admin(base: str, email: str = "admin@example.test", password: str = "correct horse battery") -> str:
    """Signs up the first user (the admin) and returns an API token for them."""
    browser = Browser(base)
    try:
        browser.signup("Ada Admin", "ada", email, password)
        return browser.api_token("tests")
    finally:
        browser.close()
