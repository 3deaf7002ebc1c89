"""The flood of bench/portal-flood.sh: python3 portal_flood.py URL ACTIVATION_PATH
TOKEN FILE ATTACKERS DURATION ROUNDS. Loopback only."""

import http.client
import re
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter

url, activation, token, file, attackers, duration, rounds = sys.argv[1:]
attackers, duration, rounds = int(attackers), float(duration), int(rounds)
host = urllib.parse.urlsplit(url).netloc
assert host.startswith("127.0.0.1:"), "loopback only"
PASSWORD = "een geldig wachtwoord"
stations = open(file, "rb").read()


class Client:
    """One connection with the portal's cookies."""

    def __init__(self, source="127.0.0.1"):
        self.connection = http.client.HTTPConnection(host, timeout=30, source_address=(source, 0))
        self.cookies = {}

    def send(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";")[0].partition("=")
            self.cookies[name] = value
        return response.status, text

    def form_token(self, path):
        status, page = self.send("GET", path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


def timed(work):
    started = time.monotonic()
    status = work()
    return status, time.monotonic() - started


officer = Client()
csrf = officer.form_token(activation)
status, _ = officer.send("POST", activation, {"csrf": csrf, "password": PASSWORD, "again": PASSWORD})
assert status == 303, ("activation", status)


def sign_in():
    client = Client()
    csrf = client.form_token("/portaal/inloggen")
    form = {"csrf": csrf, "email": "officer@demodorp.nl", "password": PASSWORD}
    return timed(lambda: client.send("POST", "/portaal/inloggen", form)[0])


vendor = Client()


def upload():
    path = "/api/v1/elections/demo/municipalities/GM9999/stations"
    headers = {"Authorization": f"Bearer {token}"}
    return timed(lambda: vendor.send("PUT", path, stations, headers)[0])


def measure(label):
    results = {"officer sign-in": [], "vendor upload": []}
    for _ in range(rounds):
        for name, work in (("officer sign-in", sign_in), ("vendor upload", upload)):
            results[name].append(work())
    for name, runs in results.items():
        times = [t * 1000 for _, t in runs]
        statuses = dict(Counter(s for s, _ in runs))
        print(
            f"{label:<14} {name:<16} median {statistics.median(times):7.0f} ms  "
            f"max {max(times):7.0f} ms  statuses {statuses}"
        )


answers = Counter()
stop = threading.Event()


def attack(kind, n):
    # Each attacker from an address of its own (all loopback), as a flood
    # from many places would come: the per-address throttle does not stop
    # it, and the officer's address is not the attackers'.
    client = Client(f"127.0.{1 + n // 250}.{1 + n % 250}")
    csrf = client.form_token("/portaal/inloggen")
    while not stop.is_set():
        if kind == "activation":
            path = f"/portaal/activeren/{secrets.token_hex(32)}"
            form = {"csrf": csrf, "password": PASSWORD, "again": PASSWORD}
        else:
            path = "/portaal/inloggen"
            form = {"csrf": csrf, "email": f"{secrets.token_hex(6)}@example.nl", "password": PASSWORD}
        try:
            status, _ = client.send("POST", path, form)
        except (OSError, http.client.HTTPException):
            client.connection.close()
            status = "error"
        answers[(kind, status)] += 1


measure("alone")
threads = [
    threading.Thread(target=attack, args=(kind, n + offset), daemon=True)
    for offset, kind in ((0, "activation"), (attackers, "sign-in"))
    for n in range(attackers)
]
for thread in threads:
    thread.start()
time.sleep(1)
deadline = time.monotonic() + duration
measure(f"{attackers}+{attackers} flood")
time.sleep(max(0, deadline - time.monotonic()))
stop.set()
for thread in threads:
    thread.join(timeout=35)
print("attackers answered:", dict(sorted(answers.items(), key=str)))
