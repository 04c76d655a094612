"""A load of many cases driven over HTTP in the background while faults are injected: units
imported by CSV in chunks, each registered and its dossier submitted from a thread pool, every
Nth case reviewed and decided by a second pool; every answer is recorded with its time, and a
step refused because something is down is tried again."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET
from tests.e2e import flow
from tests.e2e.client import Response, wait_until
from tests.e2e.registration_http import send_file

YEAR = flow.YEAR
LATE_REASON = "Ngoại lệ ghi nhận trong diễn tập tải"
# Answers worth trying again: the database or broker is away (503), or the API's socket is.
RETRY_STATUSES = {502, 503, 504, 0}
CHUNK = 50  # units per CSV import
UNIT_COLUMNS = (
    "unit_id", "name", "unit_type", "commune_code", "managing_level",
    "has_party_organization", "contact_email",
)  # fmt: skip


@dataclass(frozen=True)
class Answer:
    at: float
    step: str
    status: int
    body: dict | None


@dataclass
class Documents:
    """The required documents, uploaded once by the admin and cited by every case."""

    registration: list
    dossier: list
    criteria: list
    authority: str


@dataclass
class Load:
    system: object
    docs: Documents
    threads: int = 6
    decide_every: int = 20
    answers: list[Answer] = field(default_factory=list)
    done: Counter = field(default_factory=Counter)
    started: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._abort = threading.Event()
        self._thread: threading.Thread | None = None
        self._approver = mint_token(
            DEV_JWT_SECRET, "approver", "approver-load", None, self.docs.authority
        )

    # --- running ------------------------------------------------------------------------------

    def start(self, min_cases: int, max_cases: int, per_s: float | None = None) -> Load:
        """Feed cases until stop() is called and at least min_cases were started; at most per_s
        cases a second until then (unpaced once stop() asks for the rest of min_cases)."""
        args = (min_cases, max_cases, per_s)
        self._thread = threading.Thread(target=self._feed, args=args, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 600) -> None:
        self._stop.set()
        self._thread.join(timeout_s)
        assert not self._thread.is_alive(), "the load did not finish"

    def abort(self) -> None:
        """Stop at once (a failed test): steps in flight give up instead of retrying."""
        self._abort.set()
        self.stop()

    def wait_for(self, step: str, count: int, what: str) -> None:
        """Wait until `count` more cases passed `step` than now (the load is moving)."""
        target = self.done[step] + count
        wait_until(lambda: self.done[step] >= target, what, timeout_s=180)

    def _feed(self, min_cases: int, max_cases: int, per_s: float | None) -> None:
        try:
            self._feed_cases(min_cases, max_cases, per_s)
        except Exception as err:  # recorded, and asserted on by the test
            self._record("error", 0, {"message": repr(err)})

    def _feed_cases(self, min_cases: int, max_cases: int, per_s: float | None) -> None:
        began = time.monotonic()
        slots = threading.Semaphore(self.threads * 2)
        cases = ThreadPoolExecutor(self.threads, thread_name_prefix="load")
        # Reviews wait for the case to reach review: they get threads of their own, so that a
        # stalled consumer never holds up the commands.
        self._reviews = ThreadPoolExecutor(2, thread_name_prefix="review")
        with self._reviews, cases:
            while self.started < max_cases and not (
                self._stop.is_set() and self.started >= min_cases
            ):
                if self._abort.is_set():
                    return
                if per_s:  # ahead of the pace: wait for it, or for stop()
                    self._stop.wait(began + self.started / per_s - time.monotonic())
                first = self.started
                self._import([unit_name(n) for n in range(first, first + CHUNK)])
                for n in range(first, first + CHUNK):
                    slots.acquire()
                    cases.submit(self._one_case, n).add_done_callback(lambda _f: slots.release())
                self.started += CHUNK

    def _import(self, unit_ids: list[str]) -> None:
        """One CSV import of a chunk of units, tried again while refused (all rows or none)."""
        data = units_csv(unit_ids)
        token = self.system.tokens["admin"]
        url = self.system.stack.url("registration")
        while not self._abort.is_set():
            try:
                r = send_file(url, "/units/import", token, "don-vi.csv", data)
            except OSError as err:
                r = Response(0, repr(err).encode())
            self._record("import", r.status, r.json if r.status >= 400 else None)
            if r.status == 201:
                with self._lock:
                    self.done["add_unit"] += len(unit_ids)
                return
            if r.status not in RETRY_STATUSES:
                raise AssertionError(f"import: {r.status} {r.body[:300]!r}")
            time.sleep(0.5)  # back-off before trying a refused import again

    # --- one case -----------------------------------------------------------------------------

    def _one_case(self, n: int) -> None:
        unit_id = unit_name(n)
        try:
            self._step("register", "POST", "/registrations", self._registration(unit_id))
            self._step("submit", "POST", "/dossiers", self._dossier(unit_id))
            if n % self.decide_every == 0:
                self._reviews.submit(self._guarded, self._review, unit_id, n)
        except Exception as err:  # recorded, and asserted on by the test
            self._record("error", 0, {"message": repr(err), "unit_id": unit_id})

    def _guarded(self, step, unit_id: str, n: int) -> None:
        try:
            step(unit_id, n)
        except Exception as err:  # recorded, and asserted on by the test
            self._record("error", 0, {"message": repr(err), "unit_id": unit_id})

    def _review(self, unit_id: str, n: int) -> None:
        case = wait_until(
            lambda: self._abort.is_set() or self._case(unit_id),
            f"review to show {unit_id} submitted",
            timeout_s=240,
        )
        if self._abort.is_set():
            return
        path = f"/cases/{unit_id}/{YEAR}"
        findings = [{"criterion_id": c, "met": True, "note": "Đạt"} for c in self.docs.criteria]
        recommendation = {
            "recommendation": "achieved",
            "expected_version": case["version"],
            "findings": findings,
        }
        self._step("recommend", "POST", f"{path}/recommendation", recommendation, "review")
        decision = {
            "decision": "recognized",
            "decision_number": f"{n}/QĐ-UBND-TAI",
            "decided_on": "2026-11-20",
            "note": "Công nhận đạt chuẩn",
        }
        self._step("decide", "POST", f"{path}/decision", decision, "review", self._approver)

    def _case(self, unit_id: str):
        r = self._send("review", "GET", f"/cases/{unit_id}/{YEAR}", None, None)
        return r.json if r.status == 200 and r.json["status"] == "dossier_submitted" else None

    def _step(self, step, method, path, body, service="registration", token=None) -> None:
        """Send until the service takes it; a 409 after a refused try means the first one held."""
        tried = False
        while not self._abort.is_set():
            r = self._send(service, method, path, body, token)
            self._record(step, r.status, r.json if r.status >= 400 else None)
            if r.status in (200, 201) or (tried and r.status == 409):
                with self._lock:
                    self.done[step] += 1
                return
            if r.status not in RETRY_STATUSES:
                raise AssertionError(f"{step} {path}: {r.status} {r.body[:300]!r}")
            tried = True
            time.sleep(0.5)  # back-off before trying a refused command again

    def _send(self, service, method, path, body, token) -> Response:
        token = token or self.system.tokens["admin" if service == "registration" else "reviewer"]
        try:
            return self.system.api(service, method, path, body=body, token=token)
        except OSError as err:  # connection refused/reset: the API itself is unreachable
            return Response(0, repr(err).encode())

    def _record(self, step: str, status: int, body) -> None:
        with self._lock:
            self.answers.append(Answer(time.monotonic(), step, status, body))

    # --- bodies -------------------------------------------------------------------------------

    def _registration(self, unit_id: str) -> dict:
        return {
            "unit_id": unit_id,
            "year": YEAR,
            "late_reason": LATE_REASON,
            "documents": self.docs.registration,
            "figures": {"households_resident": 40, "households_registered": 40},
        }

    def _dossier(self, unit_id: str) -> dict:
        assessment = [{"criterion_id": c, "met": True, "note": "Đạt"} for c in self.docs.criteria]
        return {
            "unit_id": unit_id,
            "year": YEAR,
            "documents": self.docs.dossier,
            "self_assessment": assessment,
        }

    # --- what happened ------------------------------------------------------------------------

    def answers_between(self, start: float, end: float) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if start <= a.at <= end]

    def failures(self) -> list[Answer]:
        """Answers that are neither a success nor a refusal worth retrying."""
        ok = {200, 201, 409} | RETRY_STATUSES
        with self._lock:
            return [a for a in self.answers if a.status not in ok or a.step == "error"]


def unit_name(n: int) -> str:
    return f"kdc-tai-{n:05d}"


def unit_body(unit_id: str) -> dict:
    return {
        "unit_id": unit_id,
        "name": f"Khu dân cư {unit_id}",
        "unit_type": "residential_area",
        "commune_code": "bac-nha-trang",
        "managing_level": "commune",
        "has_party_organization": True,
        "contact_email": f"{unit_id}@example.vn",
    }


def units_csv(unit_ids: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(UNIT_COLUMNS)
    for unit_id in unit_ids:
        body = unit_body(unit_id)
        writer.writerow([str(body[c]).lower() if c == "has_party_organization" else body[c]
                         for c in UNIT_COLUMNS])  # fmt: skip
    return out.getvalue().encode()


def prepare(system) -> Documents:
    """The campaign, the commune, one probe case, and the documents every case will cite."""
    flow.setup_campaign_and_commune(system)
    admin = system.tokens["admin"]
    probe = "kdc-tai-probe"
    flow.add_unit(system, probe)
    registration = flow.documents(system, admin, probe, flow.RA_REGISTRATION_KINDS)
    dossier = flow.documents(system, admin, probe, flow.DOSSIER_KINDS)
    criteria = flow.criteria_of(system)
    flow.register_late(system, probe)
    case = flow.case_in_review(system, probe, "registered")
    return Documents(registration, dossier, criteria, case["authority"]["code"])
