"""Survey submissions under load: N people submit at once through HTTP, then count what was kept.

Starts gunicorn (sync workers, loopback) on a PostgreSQL database, creates an
open survey with one invitation per person, then --clients threads each fetch
a personal link (for the CSRF token) and post the answers; --doubles links are
posted twice at once (a double click). Reports submissions/s, latency
percentiles, and lost / duplicated responses and whether the kept result counts
equal a recount. Asserts nothing about time.

    createdb -h 127.0.0.1 -U postgres mentorat_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_load \\
        .venv/bin/python bench/survey_load_bench.py --submissions 500 --clients 50 --workers 4

Without gunicorn, --server django uses Django's threaded development server instead.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50, help="concurrent HTTP clients (50)")
    parser.add_argument("--doubles", type=int, default=50, help="links posted twice at once (50)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--server", choices=["gunicorn", "django"], default="gunicorn")
    return parser.parse_args()


def setup_data(n: int):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from mentorat import factories as f
    from schools.models import Order, Person, SchoolYear, StaffAssignment
    from surveys.models import Invitation
    from surveys.tests.factories import full_survey

    if connection.vendor != "postgresql":
        print("Skipped: PostgreSQL only (SQLite serialises writers); set DATABASE_URL=postgres://…")
        sys.exit(0)
    call_command("migrate", verbosity=0)
    year = SchoolYear.objects.order_by("-starts_on").first() or f.SchoolYearFactory()
    now = timezone.now()
    survey = full_survey(
        year,
        title=f"Charge {now:%Y-%m-%d %H:%M:%S}",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    stamp = int(time.time())
    schools = [
        f.SchoolFactory(code=f"LD{stamp % 100000}{i}", order=Order.PRIMARY if i % 2 else Order.SECONDARY)
        for i in range(10)
    ]
    people = Person.objects.bulk_create(
        Person(
            employee_number=f"LOAD-{stamp}-{i}",
            first_name="Charge",
            last_name=str(i),
            email=f"l{stamp}-{i}@example.org",
        )
        for i in range(n)
    )
    StaffAssignment.objects.bulk_create(
        StaffAssignment(person=person, school=schools[i % len(schools)], year=year, task_share=100)
        for i, person in enumerate(people)
    )
    invitations = Invitation.objects.bulk_create(Invitation(survey=survey, person=person) for person in people)
    return survey, [invitation.token for invitation in invitations]


def post_data(survey, rng: random.Random) -> dict:
    q = {question.position: question for question in survey.questions.prefetch_related("choices")}
    ids = {pos: [str(choice.pk) for choice in q[pos].choices.all()] for pos in q}
    yes = rng.random() < 0.6
    data = {
        f"q{q[1].pk}": rng.choice(ids[1]),
        f"q{q[2].pk}": rng.sample(ids[2], rng.randint(1, 2)),
        f"q{q[3].pk}": "oui" if yes else "non",
        f"q{q[5].pk}": str(rng.randint(1, 15)),
        f"q{q[7].pk}": str(rng.randint(1, 10)),
    }
    if yes:
        data[f"q{q[4].pk}"] = rng.choice(ids[4])
    for rank, choice in enumerate(rng.sample(ids[6], 2), start=1):
        data[f"q{q[6].pk}_c{choice}"] = str(rank)
    if rng.random() < 0.2:
        data[f"q{q[8].pk}"] = "Merci"
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, port: int):
    if args.server == "gunicorn":
        command = [str(BASE_DIR / ".venv/bin/gunicorn"), "mentorat.wsgi", "-w", str(args.workers)]
        command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"]
        process = subprocess.Popen(command, cwd=BASE_DIR, env={**os.environ, "DEBUG": "1"})
    else:
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        server = ThreadedWSGIServer(("127.0.0.1", port), Quiet)
        server.set_app(get_wsgi_application())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        process = server
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    sys.exit("the server did not start")


def submit(base: str, token: str, data: dict) -> tuple[int, float]:
    """GET the personal link (CSRF cookie and token), then POST the answers; (status, POST seconds)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    url = f"{base}/sondages/r/{token}/"
    page = opener.open(url, timeout=120).read().decode()
    match = TOKEN.search(page)
    if match is None:
        return 0, 0.0  # already answered (the double's twin won)
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": match.group(1)}, doseq=True).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})
    started = time.perf_counter()
    try:
        response = opener.open(request, timeout=120)
        status = response.status
        response.read()
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def main() -> None:
    args = parse_args()
    survey, tokens = setup_data(args.submissions)
    rng = random.Random(500)
    jobs = [(token, post_data(survey, rng)) for token in tokens]
    jobs += jobs[: args.doubles]
    rng.shuffle(jobs)
    port = free_port()
    server = start_server(args, port)
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(lambda job: submit(base, *job), jobs))
    finally:
        if args.server == "gunicorn":
            server.terminate()
            server.wait()
        else:
            server.shutdown()
    elapsed = time.perf_counter() - started
    report(args, survey, results, elapsed)


def report(args, survey, results, elapsed: float) -> None:
    from surveys import aggregates
    from surveys.models import Invitation, Response

    latencies = sorted(seconds for status, seconds in results if seconds)
    statuses: dict = {}
    for status, _seconds in results:
        statuses[status] = statuses.get(status, 0) + 1
    responses = Response.objects.filter(survey=survey).count()
    answered = Invitation.objects.filter(survey=survey, has_answered=True).count()
    agree = aggregates.stored_counts(survey) == aggregates.count_stored(survey)
    server = f"gunicorn ({args.workers} workers)" if args.server == "gunicorn" else "Django threaded server"
    print(f"{len(results)} posts ({args.submissions} links, {args.doubles} posted twice) through {server}")
    print(f"  {args.clients} concurrent clients, {elapsed:.1f} s wall, {args.submissions / elapsed:.1f} submissions/s")
    if latencies:
        p = statistics.quantiles(latencies, n=100)
        print(f"  POST latency p50 {p[49] * 1000:.0f} ms, p95 {p[94] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    print(f"  HTTP statuses (0: link already answered at GET): {dict(sorted(statuses.items()))}")
    print(f"  responses stored: {responses}; invitations answered: {answered}")
    print(f"  lost: {args.submissions - responses}; duplicated: {max(responses - answered, 0)}")
    print(f"  kept result counts equal a recount: {'yes' if agree else 'NO'}")


if __name__ == "__main__":
    main()
