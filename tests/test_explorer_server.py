"""The explorer as a real server (issue 34): idle and slow connections cannot lock out a browser,
foreign Host headers are refused and nothing redirects, refusals show no server folder, bodies are
refused before they are read, malformed requests and SIGTERM under load leave no traceback and no
500, every download validates and runs, and a user's file named like a shipped scenario is kept
apart from it."""

from __future__ import annotations

import signal
import socket
import threading
import time
import urllib.error
import urllib.request
import warnings

import pandas as pd
import pytest
with warnings.catch_warnings():  # starlette prefers httpx2; the lock has httpx 0.27, which it still supports
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from simulate import api
from simulate.api import explore
from simulate.explorer import server as serving
from simulate.explorer.app import make_app
from browser import serving as explorer_running
from test_explorer import LOCAL, ROOT

#: One xdist worker runs this module's tests together (``--dist loadgroup``, pyproject.toml):
#: one server for the module.
pytestmark = pytest.mark.xdist_group("explorer_server")


@pytest.fixture(scope="module")
def client():
    with TestClient(make_app("current"), base_url=LOCAL) as found:
        yield found


def test_a_foreign_host_is_refused_and_nothing_redirects(client):
    with TestClient(make_app("current"), base_url="http://attacker.example") as foreign:
        for path in ("/", "/api/view", "/download/scenario.yaml", "/api/odds/", "/static/explorer.js"):
            assert foreign.get(path, follow_redirects=False).status_code == 400
    assert client.get("/").status_code == 200 and TestClient(make_app("current"), base_url="http://localhost").get(
        "/").status_code == 200
    slash = client.get("/api/odds/", follow_redirects=False)
    assert slash.status_code == 404 and "location" not in slash.headers


def test_a_classroom_server_answers_its_own_names_and_those_allowed():
    names = serving.host_names("0.0.0.0")
    assert socket.gethostname() in names and "127.0.0.1" in names and "0.0.0.0" not in names
    assert serving.host_names("127.0.0.1") == ("127.0.0.1", "localhost")


def test_bodies_are_refused_before_they_are_read(client):
    for headers, body in (({}, b"x" * 1000), ({"Transfer-Encoding": "chunked"}, iter([b"x" * 10]))):
        refused = client.request("GET", "/api/view", content=body, headers=headers)
        assert refused.status_code == 400 and "no body" in refused.text and refused.headers["connection"] == "close"
    assert client.get("/api/view", headers={"Content-Length": "0"}).status_code == 200


def test_refusals_name_the_file_never_the_servers_folders(tmp_path):
    own = tmp_path / "private" / "plans" / "policy.yaml"
    own.parent.mkdir(parents=True)
    own.write_text("extends: current\nname: policy\n", encoding="utf-8")
    with TestClient(make_app("policy", given=str(own)), base_url=LOCAL) as mine:
        assert mine.get("/api/view", params={"s": "policy"}).status_code == 200
        own.write_text("extends: current\nname: policy\nlabour:\n  hours: lots\n", encoding="utf-8")  # edited meanwhile
        refused = mine.get("/api/view", params={"s": "policy"})
    assert refused.status_code == 400 and "policy.yaml" in refused.json()["error"]
    assert str(tmp_path) not in refused.text and "private" not in refused.text


def test_a_users_file_named_like_a_shipped_scenario_is_kept_apart(tmp_path):
    own = tmp_path / "baseline.yaml"
    own.write_text("extends: current\nname: baseline\nmigration:\n  net: {2030: 500000}\n", encoding="utf-8")
    app = make_app("baseline", given=str(own))
    assert app.state.explorer.scenario == "baseline_file"
    with TestClient(app, base_url=LOCAL) as mine:
        shipped = mine.get("/api/view", params={"s": "baseline"}).json()
        theirs = mine.get("/api/view", params={"s": "baseline_file"}).json()
        page = mine.get("/").text
    assert shipped["headlines"] == explore.view("baseline")["headlines"]
    assert theirs["headlines"] == explore.view(str(own))["headlines"] != shipped["headlines"]
    assert theirs["scenario"] == "baseline_file" and 'value="baseline"' in page and 'value="baseline_file"' in page


@pytest.mark.parametrize("start", ["what-if", "long name", "user file"])
def test_every_download_validates_and_runs_to_the_shown_numbers(start, tmp_path, monkeypatch):
    if start == "what-if":
        name, given = api.load("current+fertility.tfr=1.8").scenario.name, "current+fertility.tfr=1.8"
    else:
        name = "n" * 62 if start == "long name" else "policy"
        given = str(tmp_path / "in" / "mine.yaml")
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "mine.yaml").write_text(f"extends: current\nname: {name}\n", encoding="utf-8")
    app = make_app(name, given=given)
    state = {"s": app.state.explorer.scenario, "y": "2035", "migration.net": "250000"}
    with TestClient(app, base_url=LOCAL) as mine:
        found = mine.get("/download/scenario.yaml", params=state)
        shown = mine.get("/api/view", params=state).json()
    assert found.status_code == 200
    file = tmp_path / "downloads" / "explored.yaml"
    file.parent.mkdir()
    file.write_text(found.text, encoding="utf-8")
    monkeypatch.chdir(file.parent)
    checked = api.validate([str(file)])[0]
    assert checked["ok"], checked["problems"]
    assert len(checked["name"]) <= 64 and checked["name"] != name
    assert "explored: migration.net=250000 by 2035" in checked["title"]  # a title of its own, not the parent's
    again = api.run(str(file))
    assert [h["value"] for h in explore._headlines(again, "en")] == [h["value"] for h in shown["headlines"]]


# --- a real server ------------------------------------------------------------------------------------

def _get(port: int, path: str = "/", timeout: float = 30) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def _stop(process) -> tuple[int, str, str]:
    process.send_signal(signal.SIGTERM)
    code = process.wait(60)
    out, err = process.communicate()
    return code, out, err


@pytest.mark.slow
def test_idle_and_slow_connections_cannot_lock_out_a_browser():
    port, process = explorer_running(ROOT)
    try:
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(300)]  # more than the old limit (256)
        slow = socket.create_connection(("127.0.0.1", port))
        started = time.monotonic()
        assert _get(port) == 200 and _get(port, "/api/view?s=current") == 200  # a normal client is served
        for letter in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n":  # a client trickling its headers
            if time.monotonic() - started > serving.HEADER_TIMEOUT_S + 3:
                break
            try:
                slow.send(bytes([letter]))
            except OSError:
                break
            time.sleep(0.5)
        assert time.monotonic() - started < serving.HEADER_TIMEOUT_S + 5  # cut off, however slowly it trickled
        time.sleep(1)
        for held in idle[:20] + [slow]:
            held.settimeout(5)
            assert held.recv(100) == b""  # closed by the server
        assert _get(port) == 200
    finally:
        code, out, err = _stop(process)
    assert code == 0 and "Traceback" not in err


@pytest.mark.slow
def test_malformed_requests_get_400_and_leave_no_traceback():
    port, process = explorer_running(ROOT)
    try:
        for raw in (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nnot a chunk\r\n\r\n",
                    b"GET /api/view HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200000000\r\n\r\n" + b"x" * 65536,
                    b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
                    b"GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw_client:
                raw_client.sendall(raw)
                answer = raw_client.recv(200)
            assert answer.startswith(b"HTTP/1.1 400"), answer
        assert _get(port) == 200
    finally:
        code, out, err = _stop(process)
    assert code == 0 and "Traceback" not in err and len(err.splitlines()) <= 10, err


@pytest.mark.slow
def test_sigterm_under_load_answers_every_request_without_a_traceback_or_a_500():
    port, process = explorer_running(ROOT)
    statuses: list[object] = []

    def ask(i: int) -> None:
        try:
            statuses.append(_get(port, f"/download/report.html?s=current&migration.net={200000 + i}", timeout=90))
        except OSError as error:  # asked after the server stopped listening
            statuses.append(type(error).__name__)
    workers = [threading.Thread(target=ask, args=(i,)) for i in range(40)]  # reports: about a second each
    for worker in workers:
        worker.start()
    time.sleep(3)
    code, out, err = _stop(process)
    for worker in workers:
        worker.join(90)
    answered = [s for s in statuses if isinstance(s, int)]
    assert code == 0 and "Traceback" not in err and "CancelledError" not in err, err
    assert 500 not in answered and set(answered) <= {200, 503} and 503 in answered and 200 in answered, statuses
    assert "explorer stopped" in out
