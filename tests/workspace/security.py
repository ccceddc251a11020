"""Hostile input against a running `trailmap serve`, over HTTP, on the real binary.

Complements the server crate's Rust tests (which cover the role matrix, CSRF and the main text
fields on SQLite) by running on whichever database the server uses, through every page a
person can reach:

- XSS: payloads in every text a person can type — user and workspace names, map title, the
  journey, stage, step, persona names and quotes, pain points, opportunities, touchpoints,
  comments and @mentions, save messages, token names, search — must come back escaped on every
  page that shows them (pages, the rendered map, its share link, diffs, the conflict page,
  exports), and every page must carry a Content-Security-Policy and nosniff;
- SQL injection: classic payloads in search, sign-in, sign-up, import, comments and path and
  query parameters answer 4xx or 2xx, never 5xx, and afterwards every map, version and account
  is still there; `%` and `_` in a search match only themselves.

Exit 0 when everything holds, 1 with a list of problems.

    python security.py --bin target/debug/trailmap --database sqlite:///tmp/s.db
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from urllib.parse import quote

from wsclient import Api, Browser, Server, bootstrap_admin, small_map

# Each payload, and what must never appear raw in HTML because it would be markup.
PAYLOADS = {
    "script": ("<script>window.__x=1</script>", "<script>window.__x"),
    "attr": ('"><img src=x onerror=alert(1)>', "<img src=x"),
    "single": ("'><svg onload=alert(1)>", "<svg onload"),
    "textarea": ("</textarea><b>broke out</b>", "<b>broke out"),
    "style": ("</style><iframe src=//evil.test>", "<iframe src=//evil"),
}
MARKERS = [marker for _, marker in PAYLOADS.values()]
P = {name: text for name, (text, _) in PAYLOADS.items()}

SQL = [
    "'; DROP TABLE maps; --",
    "' OR '1'='1",
    "1 OR 1=1",
    "\" OR \"\"=\"",
    "Robert'); DROP TABLE map_versions;--",
    "1; SELECT pg_sleep(5)",
    "') UNION SELECT password_hash FROM users --",
    "\\",
]


def y(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(text)


def hostile_map(journey_id: str) -> str:
    text = small_map(journey_id)
    swaps = [
        ("  name: Onboarding journey\n", f"  name: {y('Onboarding ' + P['script'])}\n"),
        ("    name: Sign-up\n", f"    name: {y('Sign-up ' + P['attr'])}\n"),
        ("        name: Visits the sign-up page\n", f"        name: {y('Visits ' + P['single'])}\n"),
        ("    name: Sam, sets it up alone\n", f"    name: {y('Sam ' + P['textarea'])}\n"),
        ('    quotes: ["Don\'t make me book a demo to see what it does."]\n', f"    quotes: [{y(P['style'])}]\n"),
        ("          - {text: Asks for a phone number before showing anything., severity: 2}\n",
         f"          - {{text: {y('Phone first ' + P['script'])}, severity: 2}}\n"),
        ("          - {channel: web, initiator: customer, name: Sign-up page}\n",
         f"          - {{channel: web, initiator: customer, name: {y(P['attr'])}}}\n"),
        ("          does: Reads the sign-up page and the plans.\n", f"          does: {y(P['textarea'])}\n"),
    ]
    for old, new in swaps:
        if old not in text:
            raise AssertionError(f"the template changed: {old.strip()!r} not found")
        text = text.replace(old, new, 1)
    return text


class Findings:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.pages = 0

    def page(self, what: str, r, expect: int | tuple = 200) -> None:
        self.pages += 1
        statuses = expect if isinstance(expect, tuple) else (expect,)
        if r.status_code not in statuses:
            self.problems.append(f"{what}: status {r.status_code}, expected {expect}: {r.text[:200]}")
            return
        body = r.text
        for marker in MARKERS:
            if marker in body:
                at = body.index(marker)
                self.problems.append(f"{what}: raw {marker!r} in the page: …{body[max(0, at - 80):at + 60]!r}")
        if re.search(r'href\s*=\s*"\s*javascript:', body, re.I):
            self.problems.append(f"{what}: a javascript: link")
        ctype = r.headers.get("content-type", "")
        if "html" in ctype or "svg" in ctype:
            csp = r.headers.get("content-security-policy", "")
            if "default-src 'none'" not in csp:
                self.problems.append(f"{what}: no restrictive Content-Security-Policy ({csp!r})")
        if r.headers.get("x-content-type-options") != "nosniff":
            self.problems.append(f"{what}: no X-Content-Type-Options: nosniff")

    def no_5xx(self, what: str, r) -> None:
        if r.status_code >= 500:
            self.problems.append(f"{what}: {r.status_code} {r.text[:200]}")


def xss(base: str, token: str, found: Findings) -> None:
    ada = Browser(base)
    ada.login("admin@example.test", "correct horse battery")
    api = Api(base, token)

    # A hostile member: invited, with a hostile display name.
    r = ada.form("/w/default/members", "/w/default/invitations", {"role": "editor", "expires_days": "7", "email": ""})
    found.page("invitation made", r)
    link = re.search(r"/signup\?invite=([0-9a-zA-Z_-]+)", r.text)
    if not link:
        found.problems.append("no invitation link on the members page")
        return
    mallory = Browser(base)
    bad_handle = mallory.form(f"/signup?invite={link.group(1)}", "/signup", {
        "invite": link.group(1), "display_name": "M", "handle": P["attr"], "email": "m@example.test", "password": "long enough pass"})
    found.no_5xx("sign-up with a hostile handle", bad_handle)
    if bad_handle.status_code < 400:
        found.problems.append(f"a hostile handle was accepted: {bad_handle.status_code}")
    found.page("sign-up form echoing hostile input", bad_handle, (403, 422))
    mallory.signup(f"Mallory {P['script']}", "mallory", "m@example.test", "long enough pass", invite=link.group(1))

    # A workspace with a hostile name.
    r = ada.form("/account", "/workspaces", {"name": f"Evil {P['attr']}", "slug": "evil"})
    found.no_5xx("hostile workspace name", r)

    # The hostile map, imported with a hostile title, then a second version with a hostile message.
    r = ada.http.get("/w/default/import")
    from wsclient import csrf_of
    r = ada.http.post("/w/default/import", data={"_csrf": csrf_of(r.text), "title": f"Title {P['single']}", "slug": "hostile"},
                      files={"file": ("hostile.yaml", hostile_map("hostile").encode(), "application/yaml")})
    if r.status_code != 303:
        found.problems.append(f"the hostile map was not imported: {r.status_code} {r.text[:300]}")
        return
    map_id = int(r.headers["location"].rsplit("/", 1)[1])
    v1 = api.version(map_id, 1)["yaml"]
    v2 = v1.replace(f"name: {y('Visits ' + P['single'])}", f"name: {y('Renamed ' + P['style'])}")
    api.save(map_id, 1, v2, f"message {P['textarea']}").raise_for_status()

    # Comments with payloads, one by Mallory mentioning Ada; a token with a hostile name.
    for body in P.values():
        api.http.post(f"/api/v1/maps/{map_id}/comments", json={"target": "visits-sign-up", "body": body}).raise_for_status()
    r = mallory.form(f"/m/{map_id}/comments", f"/m/{map_id}/comments", {"target": "", "body": f"@ada look {P['attr']}"})
    found.no_5xx("Mallory's comment", r)
    r = ada.form("/account", "/account/tokens", {"name": P["textarea"]})
    found.page("token made", r)

    # A share link.
    r = ada.form(f"/m/{map_id}/share", f"/m/{map_id}/share", {"expires_days": "1"})
    found.page("share link made", r)
    share = re.search(r"/s/([0-9a-zA-Z_-]+)", r.text)

    # A conflict: Mallory saves the source from version 1 while the map is at 2.
    r = mallory.form(f"/m/{map_id}/source", f"/m/{map_id}/source", {"base": "1", "yaml": v1 + f"# {P['textarea']}\n", "message": P["script"]})
    found.page("conflict page with hostile text", r, 409)

    pages = [
        "/w/default", "/w/default?q=" + quote(P["attr"]), "/w/default?q=onerror", "/w/default/members",
        "/w/default/activity", "/w/evil", "/account", "/inbox",
        f"/m/{map_id}", f"/m/{map_id}?version=1", f"/m/{map_id}/render", f"/m/{map_id}/render?persona=self-starter",
        f"/m/{map_id}/structure", f"/m/{map_id}/structure/step/visits-sign-up", f"/m/{map_id}/source",
        f"/m/{map_id}/source?version=1", f"/m/{map_id}/comments", f"/m/{map_id}/comments?resolved=1",
        f"/m/{map_id}/history", f"/m/{map_id}/diff?from=1&to=2", f"/m/{map_id}/diff/frame?from=1&to=2",
        f"/m/{map_id}/settings", f"/m/{map_id}/share", f"/m/{map_id}/export", f"/m/{map_id}/compare",
        f"/m/{map_id}/evidence", f"/m/{map_id}/export/html", f"/m/{map_id}/export/svg",
    ]
    for path in pages:
        found.page(f"ada GET {path}", ada.get(path))
    for path in ["/inbox", f"/m/{map_id}", f"/m/{map_id}/comments", "/w/default/members"]:
        found.page(f"mallory GET {path}", mallory.get(path))
    if share:
        guest = Browser(base)
        for path in [f"/s/{share.group(1)}", f"/s/{share.group(1)}/render", f"/s/{share.group(1)}/export/html", f"/s/{share.group(1)}/export/svg"]:
            found.page(f"guest GET {path}", guest.get(path))
        guest.close()
    else:
        found.problems.append("no share link on the share page")

    # The payloads did arrive (escaped), so the checks above looked at the right pages.
    shown = ada.get(f"/m/{map_id}/comments").text
    if "&lt;script&gt;window.__x=1&lt;/script&gt;" not in shown:
        found.problems.append("the comment payload is not on the discussion page at all (escaped)")
    render = ada.get(f"/m/{map_id}/render").text
    if "&lt;/style&gt;&lt;iframe" not in render:
        found.problems.append("the persona quote payload is not in the rendered map at all (escaped)")
    for b in (ada, mallory):
        b.close()
    api.close()


def searchable(api: Api, m: dict) -> str:
    """What search looks in: title, slug, journey id and the latest YAML, lower-cased."""
    yaml = api.version(m["id"], m["latest_version"])["yaml"]
    return "\n".join([m["title"], m["slug"], m.get("journey_id") or "", yaml]).lower()


def injection(base: str, token: str, found: Findings) -> None:
    api = Api(base, token)
    before_maps = {m["id"]: m["latest_version"] for m in api.ok(api.http.get("/api/v1/workspaces/default/maps"))["maps"]}
    before_versions = {m: len(api.versions(m)) for m in before_maps}
    guest = Browser(base)
    ada = Browser(base)
    ada.login("admin@example.test", "correct horse battery")
    for s in SQL:
        q = quote(s, safe="")
        checks = [
            ("API search", api.http.get(f"/api/v1/search?q={q}")),
            ("API search limit", api.http.get(f"/api/v1/search?q=a&limit={q}")),
            ("page search", ada.get(f"/w/default?q={q}")),
            ("API workspace path", api.http.get(f"/api/v1/workspaces/{q}/maps")),
            ("API map path", api.http.get(f"/api/v1/maps/{q}")),
            ("API version path", api.http.get(f"/api/v1/maps/1/versions/{q}")),
            ("page map path", ada.get(f"/m/{q}")),
            ("page share token", guest.get(f"/s/{q}")),
            ("sign-in", guest.form("/login", "/login", {"email": s, "password": s, "next": "/"})),
            ("API import slug", api.http.post("/api/v1/workspaces/default/maps", json={"yaml": small_map("inj"), "slug": s, "title": s})),
            ("API comment", api.http.post("/api/v1/maps/1/comments", json={"target": s, "body": s})),
            ("API diff", api.http.get(f"/api/v1/maps/1/diff?from={q}&to=1")),
        ]
        for what, r in checks:
            found.no_5xx(f"{what} with {s!r}", r)
        for h in api.ok(api.http.get(f"/api/v1/search?q={q}"))["hits"]:
            if s.strip().lower() not in searchable(api, h["map"]):
                found.problems.append(f"search for {s!r} returned map {h['map']['id']}, which does not contain it")
    # LIKE wildcards match only themselves.
    for wildcard in ["%", "_", "%%", "a%b"]:
        for h in api.ok(api.http.get(f"/api/v1/search?q={quote(wildcard, safe='')}"))["hits"]:
            if wildcard not in searchable(api, h["map"]):
                found.problems.append(f"search for {wildcard!r} matched map {h['map']['id']}, which does not contain it")
    # Everything is still there, and signing in still works.
    after_maps = {m["id"]: m["latest_version"] for m in api.ok(api.http.get("/api/v1/workspaces/default/maps"))["maps"]}
    for m, latest in before_maps.items():
        if m not in after_maps:
            found.problems.append(f"map {m} disappeared")
        elif len(api.versions(m)) < before_versions[m]:
            found.problems.append(f"map {m} lost versions")
    check = Browser(base)
    r = check.login("admin@example.test", "correct horse battery")
    if r.status_code not in (302, 303):
        found.problems.append(f"signing in no longer works: {r.status_code}")
    for b in (guest, ada, check):
        b.close()
    api.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--database", required=True, help="an empty database")
    args = ap.parse_args()
    found = Findings()
    with Server(args.bin, args.database) as server:
        token = bootstrap_admin(server.url)
        api = Api(server.url, token)
        api.create_map("default", small_map("plain"), slug="plain")
        api.close()
        xss(server.url, token, found)
        injection(server.url, token, found)
    label = args.database.split("://", 1)[0]
    if found.problems:
        print(f"security ({label}): {len(found.problems)} problem(s) over {found.pages} pages")
        for p in found.problems:
            print(f"  {p}")
        return 1
    print(f"security ({label}): ok — {len(PAYLOADS)} XSS payloads escaped on {found.pages} pages, "
          f"{len(SQL)} SQL payloads × 12 entry points without a 5xx, data intact, wildcards literal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
