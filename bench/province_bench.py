"""Province-scale benchmark: every role's main pages, the exports, a 10,000-row import and load through gunicorn.

Runs on the database of bench/dataset.py (PostgreSQL, DATABASE_URL), with DEBUG off:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_bench \\
        .venv/bin/python bench/province_bench.py --preset small --build   # build the preset first
    ... bench/province_bench.py --preset full                             # an already built database

For each page: median and worst server time (Django test client, in process),
SQL queries (CaptureQueriesContext) and peak Python memory (tracemalloc, one
extra run). Then a bounded load (threads + requests over loopback, gunicorn
with several workers): requests/s and latency p50/p95/p99 for the home pages
and the survey submission. Prints a table and writes it to
bench/results/province-<preset>.md. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench_settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "ERROR",
}
for _key, _value in BENCH_ENV.items():
    os.environ.setdefault(_key, _value)

IMPORT_ROWS = 10_000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="small", help="dataset preset, names the results file (default small)")
    parser.add_argument("--build", action="store_true", help="build the preset into DATABASE_URL first")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per page (default 3)")
    parser.add_argument("--load-seconds", type=float, default=8, help="duration of each load run (default 8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--clients", type=int, default=6, help="concurrent client threads (default 6)")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load section")
    parser.add_argument("--no-import", action="store_true", help="skip the 10,000-row import")
    parser.add_argument(
        "--only", default="", help="time only the pages whose label contains one of these words (comma-separated)"
    )
    return parser.parse_args()


class Bench:
    def __init__(self, runs: int):
        from dataset import PERSONAS
        from django.test import Client

        from roles.models import User

        self.runs = runs
        self.rows: list[tuple] = []
        self.clients = {}
        for role, email in PERSONAS.items():
            client = Client()
            client.force_login(User.objects.get(email=email))
            self.clients[role] = client

    def page(self, role: str, label: str, url: str) -> None:
        client = self.clients[role]

        def fetch():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{role} {url}: {response.status_code}")
            if response.streaming:
                return sum(len(chunk) for chunk in response.streaming_content)
            return len(response.content)

        self.measure(role, label, fetch)

    def measure(self, role: str, label: str, fn, runs: int | None = None) -> None:
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        fn()  # warm up
        timings = []
        for _ in range(runs or self.runs):
            reset_queries()  # a request resets the log on start: begin from an empty one
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                size = fn()
                timings.append((time.perf_counter() - started) * 1000)
            count = len(queries)  # read now: the list is a lazy slice of a log the next request resets
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        row = (role, label, statistics.median(timings), max(timings), count, peak / 1e6, size / 1024)
        self.rows.append(row)
        print(f"{role:11} {label:44} {row[2]:8.0f} {row[3]:8.0f} {row[4]:5d} {row[5]:7.1f} {row[6]:8.0f}", flush=True)


def pages(bench: Bench, only: str = "") -> None:
    from dataset import PERSONAS
    from django.urls import reverse

    from roles.models import Membership, Role
    from schools.models import Person, SchoolYear
    from surveys.models import Survey

    year = SchoolYear.objects.get(is_current=True)
    school = Membership.objects.get(person__user__email=PERSONAS["director"], role=Role.DIRECTOR).school_id
    novice = Person.objects.filter(entitlements__year=year, pairings_as_mentee__isnull=True).order_by("pk").first()
    survey = Survey.objects.filter(year=year).order_by("pk").last()
    results = reverse("surveys:results", args=[survey.pk])
    plan = [
        ("hr", "home", "/"),
        ("hr", "HR board (nominations)", reverse("mentors:board")),
        ("hr", "HR board, page 5, sorted", reverse("mentors:board") + "?page=5&tri=experience"),
        ("hr", "budget page", reverse("mentors:budget")),
        ("hr", "budget CSV", reverse("mentors:budget") + "?format=csv"),
        ("hr", "budget XLSX", reverse("mentors:budget") + "?format=xlsx"),
        ("hr", "schools list", reverse("schools:school_list")),
        ("hr", "staff list", reverse("schools:staff_list")),
        ("hr", "roles list", reverse("roles:membership_list")),
        ("hr", "roles list, page 20", reverse("roles:membership_list") + "?ecoles=20"),
        ("hr", "plans overview", reverse("plans:overview")),
        ("hr", "plans overview, page 20, one order", reverse("plans:overview") + "?page=20&ordre=primaire"),
        ("hr", "plans overview CSV", reverse("plans:overview") + "?format=csv"),
        ("hr", "surveys list", reverse("surveys:survey_list")),
        ("hr", "survey results page", results),
        ("hr", "survey results, one order", results + "?ordre=secondaire"),
        ("hr", "survey results, one school", results + f"?ecole={school}"),
        ("hr", "survey results CSV", reverse("surveys:export_results_csv", args=[survey.pk])),
        ("hr", "survey results XLSX", reverse("surveys:export_results_xlsx", args=[survey.pk])),
        ("hr", "survey raw responses CSV", reverse("surveys:export_responses_csv", args=[survey.pk])),
        ("director", "home", "/"),
        ("director", "school candidacies", reverse("mentors:director_candidacies")),
        ("director", "school detail", reverse("schools:school_detail", args=[school])),
        ("director", "staff list (own school)", reverse("schools:staff_list")),
        ("pane", "home", "/"),
        ("pane", "pairing page", reverse("mentors:pairing_board")),
        ("pane", "pairing page, page 40", reverse("mentors:pairing_board") + "?page=40"),
        ("pane", "pairing list and loads", reverse("mentors:pairing_list")),
        ("pane", "follow-up counts", reverse("mentors:followup_stats")),
        ("pane", "cohorts", reverse("mentors:cohort_list")),
        ("mentor", "home", "/"),
        ("mentor", "my mentees", reverse("mentors:my_mentees")),
        ("mentee", "home", "/"),
        ("mentee", "my mentor", reverse("mentors:my_mentor")),
        ("teacher", "home", "/"),
        ("teacher", "my candidacy", reverse("mentors:candidacy_mine")),
        ("management", "home", "/"),
        ("management", "survey results page", results),
    ]
    if novice is not None:
        plan.insert(
            plan.index(("pane", "pairing list and loads", reverse("mentors:pairing_list"))),
            ("pane", "pairing, one novice", reverse("mentors:pairing_novice", args=[novice.pk])),
        )
    words = [word.strip() for word in only.split(",") if word.strip()]
    for role, label, url in plan:
        if words and not any(word in f"{role} {label}" for word in words):
            continue
        try:
            bench.page(role, label, url)
        except Exception as error:  # noqa: BLE001 — a missing page is reported, the rest still runs
            print(f"{role:11} {label:44} skipped: {error}", flush=True)


def staff_import(bench: Bench) -> None:
    """Preview and confirm a 10,000-row staff file through the service layer; the confirm is rolled back."""
    from django.db import transaction

    from schools import imports
    from schools.models import School, SchoolYear, StaffAssignment

    year = SchoolYear.objects.get(is_current=True)
    schools = list(School.objects.values_list("code", flat=True)[:200])
    existing = list(
        StaffAssignment.objects.filter(year=year)
        .select_related("person")
        .order_by("person_id")[: IMPORT_ROWS // 2]
        .values_list("person__employee_number", "person__first_name", "person__last_name", "person__email")
    )
    lines = ["matricule;prenom;nom;courriel;ecole;fonction"]
    for n, (number, first, last, email) in enumerate(existing):
        lines.append(f"{number};{first};{last};{email};{schools[n % len(schools)]};Enseignant(e) mis à jour")
    for n in range(IMPORT_ROWS - len(existing)):
        lines.append(
            f"9{n:07d};Nouveau;Import{n};import{n}@bench.example.org;{schools[n % len(schools)]};Enseignant(e)"
        )
    content = ("\n".join(lines) + "\n").encode()

    def preview():
        plan = imports.plan_file(io.BytesIO(content), "personnel.csv", imports.ImportKind.STAFF, year)
        if not plan.ok:
            raise RuntimeError(f"import preview has errors: {plan.errors[:3]}")
        return len(content)

    class Rollback(Exception):
        pass

    def confirm():
        try:
            with transaction.atomic():
                plan = imports.plan_file(io.BytesIO(content), "personnel.csv", imports.ImportKind.STAFF, year)
                imports.apply(plan)
                raise Rollback
        except Rollback:
            pass
        return len(content)

    bench.measure("hr", f"staff import preview ({IMPORT_ROWS} rows)", preview, runs=1)
    bench.measure("hr", f"staff import confirm ({IMPORT_ROWS} rows)", confirm, runs=1)


# --- Load through gunicorn -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _drive(duration: float, clients: int, one_request) -> tuple[int, int, list[float], float]:
    """`clients` threads call one_request() until `duration` is over; returns ok, failed, latencies (ms), seconds."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def worker():
        import requests

        session = requests.Session()
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                ok = one_request(session)
            except Exception:  # noqa: BLE001 — a failed request is counted, the run goes on
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1
            if ok is None:  # nothing left to do (no invitation left)
                return

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), failures[0], latencies, time.perf_counter() - started


def load(args) -> list[tuple]:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if gunicorn is None:
        print("Load section skipped: gunicorn is not installed (.venv/bin/pip install gunicorn).", flush=True)
        return []
    from dataset import PERSONAS
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from roles.models import User
    from surveys.models import Invitation, Response, Survey

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    pythonpath = os.pathsep.join([str(ROOT), str(ROOT / "bench")])
    env = {**os.environ, **BENCH_ENV, "ALLOWED_HOSTS": "127.0.0.1", "PYTHONPATH": pythonpath}
    server = subprocess.Popen(
        [gunicorn, "mentorat.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    rows = []
    survey = Survey.objects.filter(year__is_current=True).order_by("pk").last()
    last_response = Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        import requests

        for _ in range(100):
            try:
                requests.get(f"{base}/comptes/login/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)
        cookies = {}
        for role in ("hr", "director", "pane", "mentor", "mentee", "teacher"):
            session = SessionStore()
            user = User.objects.get(email=PERSONAS[role])
            session["_auth_user_id"] = str(user.pk)
            session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            session["_auth_user_hash"] = user.get_session_auth_hash()
            session.save()
            cookies[role] = f"sessionid={session.session_key}"
        for role, cookie in cookies.items():

            def get_home(http, cookie=cookie):
                return http.get(f"{base}/", headers={"Cookie": cookie}, timeout=30).status_code == 200

            rows.append((f"{role} home",) + _summary(_drive(args.load_seconds, args.clients, get_home)))
            print(_load_line(rows[-1]), flush=True)
        # Survey submissions: one invitation each (a GET for the form and its CSRF token, then the POST).
        people = list(survey.invitations.values_list("person_id", flat=True))
        from schools.models import Person

        fresh = Person.objects.exclude(pk__in=people).values_list("pk", flat=True)[:5000]
        invitations = Invitation.objects.bulk_create([Invitation(survey=survey, person_id=pk) for pk in fresh])
        tokens = [invitation.token for invitation in invitations]
        questions = {q.position: q for q in survey.questions.prefetch_related("choices")}
        form = {
            f"q{questions[1].pk}": str(questions[1].choices.all()[0].pk),
            f"q{questions[3].pk}": "non",
            f"q{questions[7].pk}": "8",
        }
        token_lock = threading.Lock()

        def submit(http):
            with token_lock:
                if not tokens:
                    return None
                token = tokens.pop()
            url = f"{base}/sondages/r/{token}/"
            page = http.get(url, timeout=30)
            csrf = page.cookies.get("csrftoken")
            hidden = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if page.status_code != 200 or not csrf or not hidden:
                return False
            posted = http.post(
                url,
                data={**form, "csrfmiddlewaretoken": hidden.group(1)},
                headers={"Cookie": f"csrftoken={csrf}"},
                allow_redirects=False,
                timeout=30,
            )
            return posted.status_code == 302 and posted.headers.get("Location", "").endswith("/merci/")

        rows.append(("survey submission (GET + POST)",) + _summary(_drive(args.load_seconds, args.clients, submit)))
        print(_load_line(rows[-1]), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        # Leave the dataset as it was built.
        connection.close()
        Response.objects.filter(survey=survey, pk__gt=last_response).delete()
        Invitation.objects.filter(survey=survey).delete()
    return rows


def _summary(result) -> tuple:
    ok, failed, latencies, seconds = result
    return (
        ok,
        failed,
        ok / seconds,
        _percentile(latencies, 0.5),
        _percentile(latencies, 0.95),
        _percentile(latencies, 0.99),
    )


def _load_line(row) -> str:
    return f"{row[0]:34} {row[1]:6d} ok {row[2]:4d} failed {row[3]:7.1f}/s  p50 {row[4]:6.0f}  p95 {row[5]:6.0f}  p99 {row[6]:6.0f} ms"


def write_report(args, counts: dict, rows: list[tuple], load_rows: list[tuple]) -> Path:
    lines = [
        f"# Province benchmark — preset « {args.preset} »",
        "",
        "Dataset: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        "",
        "| role | page | median ms | max ms | queries | peak MB | KiB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {r[0]} | {r[1]} | {r[2]:.0f} | {r[3]:.0f} | {r[4]} | {r[5]:.1f} | {r[6]:.0f} |" for r in rows]
    if load_rows:
        lines += [
            "",
            f"Load: gunicorn, {args.workers} workers, {args.clients} client threads, {args.load_seconds:g} s per row.",
            "",
            "| target | ok | failed | requests/s | p50 ms | p95 ms | p99 ms |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.1f} | {r[4]:.0f} | {r[5]:.0f} | {r[6]:.0f} |" for r in load_rows
        ]
    path = ROOT / "bench" / "results" / f"province-{args.preset}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def dataset_counts() -> dict:
    from mentors.models import Candidacy, MentorAssignment, Pairing
    from schools.models import Entitlement, Person, School, SchoolYear
    from surveys.models import Response

    return {
        "schools": School.objects.count(),
        "people": Person.objects.count(),
        "years": SchoolYear.objects.count(),
        "novices (all years)": Entitlement.objects.count(),
        "candidacies": Candidacy.objects.count(),
        "mentor assignments": MentorAssignment.objects.count(),
        "pairings": Pairing.objects.count(),
        "survey responses": Response.objects.count(),
    }


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database built by bench/dataset.py.")
    if args.build:
        from dataset import build

        build(args.preset)
    counts = dataset_counts()
    print(", ".join(f"{k} {v}" for k, v in counts.items()))
    bench = Bench(args.runs)
    print(f"{'role':11} {'page':44} {'median':>8} {'max ms':>8} {'SQL':>5} {'peak MB':>7} {'KiB':>8}")
    pages(bench, args.only)
    if not args.no_import:
        staff_import(bench)
    load_rows = [] if args.no_load else load(args)
    print(f"Written to {write_report(args, counts, bench.rows, load_rows).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
