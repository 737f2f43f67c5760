"""Survey results at scale: generate the responses, then time the results page and the exports.

A large centre: one survey per year (each copied from the previous one, so
the page also compares years), every question kind, 60 schools. The latest
survey gets --responses responses, each earlier one a tenth of that. Each page
is measured twice: "kept" reads the per-survey counts (surveys.aggregates),
"recount" computes every figure again from the answers, as before the counts
were kept. Prints the time, the number of SQL queries and the peak Python
memory (tracemalloc) of each request, and the raw CSV's rate in responses/s.

    createdb -h 127.0.0.1 -U postgres mentorat_bench_15k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_bench_15k \
        .venv/bin/python bench/surveys_bench.py --responses 15000
    .venv/bin/python bench/surveys_bench.py --responses 20000 --years 1   # SQLite, one survey

On PostgreSQL the answers are written with COPY. Without DATABASE_URL the data go
to their own SQLite file (var/bench-surveys-<years>y-<responses>.sqlite3). Data are
reused between runs.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=150_000, help="responses to the latest survey (150000)")
    parser.add_argument("--years", type=int, default=2, help="one survey per year (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="requests per measure, the median is shown (3)")
    parser.add_argument("--recount-rounds", type=int, default=1, help="the same for the recount, 0 to skip it (1)")
    return parser.parse_args()


def setup(args) -> None:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    name = f"bench-surveys-{args.years}y-{args.responses}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / name}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(args):
    """Create the schools, years and surveys, then the responses in batches (skipped when already there)."""
    from django.db import connection, transaction

    from schools.models import Order, School, SchoolYear
    from surveys.aggregates import survey_rebuild
    from surveys.models import Response, Survey
    from surveys.rawlines import raw_lines_rebuild
    from surveys.services import survey_copy
    from surveys.tests.factories import full_survey

    surveys = list(Survey.objects.filter(title__startswith="Bench").order_by("year__starts_on"))
    if surveys and Response.objects.filter(survey=surveys[-1]).count() >= args.responses:
        return surveys[-1]
    started = time.perf_counter()
    schools = [
        School.objects.get_or_create(
            code=f"BENCH{i:03d}",
            defaults={"name": f"École banc d'essai {i}", "order": Order.PRIMARY if i < 45 else Order.SECONDARY},
        )[0]
        for i in range(60)
    ]
    surveys, previous = [], None
    for offset in range(args.years):
        start = 2026 - args.years + 1 + offset
        year, _ = SchoolYear.objects.get_or_create(
            label=f"{start}-{start + 1}",
            defaults={"starts_on": datetime.date(start, 7, 1), "ends_on": datetime.date(start + 1, 6, 30)},
        )
        if previous is None:
            survey = full_survey(year, title=f"Bench {year.label}")
        else:
            survey = survey_copy(
                survey=previous,
                year=year,
                title=f"Bench {year.label}",
                opens_at=previous.opens_at,
                closes_at=previous.closes_at,
            )
        surveys.append(survey)
        previous = survey
    rng = random.Random(2023)
    for index, survey in enumerate(surveys):
        per_survey = args.responses if index == len(surveys) - 1 else max(args.responses // 10, 1)
        q = {question.position: question for question in survey.questions.prefetch_related("choices")}
        choices = {pos: list(question.choices.all()) for pos, question in q.items()}
        for batch_start in range(0, per_survey, 10000):
            size = min(10000, per_survey - batch_start)
            with transaction.atomic():
                batch = []
                for _ in range(size):
                    school = rng.choice(schools)
                    batch.append(
                        Response(
                            survey=survey, submitted_week=datetime.date(2027, 2, 1), school=school, order=school.order
                        )
                    )
                responses = Response.objects.bulk_create(batch)
                answers = []
                for response in responses:
                    answers.extend(_random_answers(rng, response, q, choices))
                _write_answers(answers)
        print(f"  {survey.title}: {per_survey} réponses", flush=True)
    print(f"Generated the responses in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    for survey in surveys:
        survey_rebuild(survey=survey)
        raw_lines_rebuild(survey=survey)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load
    print(f"Rebuilt the counts and raw lines of {len(surveys)} surveys in {time.perf_counter() - started:.1f} s")
    return surveys[-1]


def _write_answers(answers) -> None:
    """COPY on PostgreSQL (several times faster than INSERT), bulk_create elsewhere."""
    import csv
    import io

    from django.db import connection

    from surveys.models import Answer

    if connection.vendor != "postgresql":
        Answer.objects.bulk_create(answers, batch_size=10000)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for a in answers:
        writer.writerow([a.response_id, a.question_id, a.choice_id, a.number, a.rank, a.boolean, a.text])
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY surveys_answer (response_id, question_id, choice_id, number, rank, boolean, text) "
            "FROM STDIN WITH (FORMAT csv)",
            buffer,
        )


def _random_answers(rng, response, q, choices):
    from surveys.models import Answer

    a = [Answer(response=response, question=q[1], choice=rng.choice(choices[1]))]
    for choice in rng.sample(choices[2], rng.randint(1, 2)):
        a.append(Answer(response=response, question=q[2], choice=choice))
    yes = rng.random() < 0.8
    a.append(
        Answer(response=response, question=q[3], boolean=yes, text="Parce que =1+1" if rng.random() < 0.05 else None)
    )
    if yes:
        a.append(Answer(response=response, question=q[4], choice=rng.choice(choices[4])))
    a.append(Answer(response=response, question=q[5], number=Decimal(rng.randint(1, 15))))
    for rank, choice in enumerate(rng.sample(choices[6], 3), start=1):
        a.append(Answer(response=response, question=q[6], choice=choice, rank=rank))
    a.append(Answer(response=response, question=q[7], number=Decimal(rng.randint(1, 10))))
    if rng.random() < 0.1:
        a.append(Answer(response=response, question=q[8], text=f"Commentaire {rng.randint(1, 10**6)}"))
    return a


def measure(label: str, fn, rounds: int = 3) -> float:
    """Median time of the rounds; queries, peak memory and size of the last one."""
    import statistics

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, cpu = [], []
    for _ in range(rounds):
        reset_queries()  # the debug query log is capped at 9000 entries; generation filled it
        tracemalloc.start()
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            size = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    elapsed = statistics.median(times)
    sql = sum(float(query["time"]) for query in queries.captured_queries)
    # Python CPU and SQL wall time apart: on a loaded machine the wall time mostly measures the neighbours.
    print(
        f"{label:<48} {elapsed * 1000:9.1f} ms  (Python CPU {statistics.median(cpu) * 1000:7.1f} ms, "
        f"SQL {sql * 1000:7.1f} ms)  {len(queries):3d} queries  peak {peak / 1e6:6.1f} MB  "
        f"{size / 1e6:7.2f} MB out",
        flush=True,
    )
    return elapsed


def run(survey, rounds: int, recount_rounds: int) -> None:
    import functools

    from django.test import Client
    from django.urls import reverse

    from roles.models import Membership, Role, User
    from schools.models import Person
    from surveys import views
    from surveys.models import Answer, Response
    from surveys.results import survey_results

    user, _ = User.objects.get_or_create(email="bench-rh@example.org")
    person, _ = Person.objects.get_or_create(
        employee_number="BENCH-RH", defaults={"first_name": "Banc", "last_name": "Essai", "user": user}
    )
    Membership.objects.get_or_create(person=person, role=Role.HR, school=None, year=None)
    client = Client()
    client.force_login(user)
    responses = Response.objects.filter(survey=survey).count()
    print(
        f"Survey « {survey.title} »: {responses} responses; database: {Response.objects.count()} responses, "
        f"{Answer.objects.count()} answer rows"
    )
    results = reverse("surveys:results", args=[survey.pk])
    school = Response.objects.filter(survey=survey).values_list("school_id", flat=True).first()

    def get(url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return len(response.content)

        return fetch

    def stream(url):
        def fetch():
            response = client.get(url)
            return sum(len(chunk) for chunk in response.streaming_content)

        return fetch

    pages = [
        ("results page (with previous year)", results),
        ("results page, one order", results + "?ordre=secondaire"),
        ("results page, one school", f"{results}?ecole={school}"),
        ("aggregated results CSV", reverse("surveys:export_results_csv", args=[survey.pk])),
        ("aggregated results XLSX", reverse("surveys:export_results_xlsx", args=[survey.pk])),
    ]
    kept = views.survey_results
    for mode, mode_rounds in (("kept", rounds), ("recount", recount_rounds)):
        views.survey_results = kept if mode == "kept" else functools.partial(survey_results, recount=True)
        for label, url in pages if mode_rounds else []:
            measure(f"{mode:<8} {label}", get(url), mode_rounds)
    views.survey_results = kept
    elapsed = measure(
        "raw responses CSV (streamed)", stream(reverse("surveys:export_responses_csv", args=[survey.pk])), 1
    )
    print(f"raw responses CSV: {responses / elapsed:,.0f} responses/s".replace(",", " "))


def main() -> None:
    args = parse_args()
    setup(args)
    survey = generate(args)
    run(survey, args.rounds, args.recount_rounds)


if __name__ == "__main__":
    main()
