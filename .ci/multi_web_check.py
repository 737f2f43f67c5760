"""HR previews a staff import on web 1 and confirms it on web 2 (.ci/multi_web.sh starts both).

Talks to the two gunicorn processes as a browser behind the reverse proxy would (session cookie,
CSRF token, X-Forwarded-Proto: https), then checks the rows in the database and the bucket.
Exits non-zero at the first thing that is not as expected.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

import boto3
import psycopg2
import requests

ROWS = 40


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


class Browser:
    """One person's requests.Session, sent to either web process as if through the proxy."""

    def __init__(self):
        self.session = requests.Session()

    def _send(self, method: str, base: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")}
        response = self.session.request(
            method, base + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        for cookie in self.session.cookies:
            cookie.secure = False  # Secure cookies (DEBUG=0): the proxy speaks HTTPS to browsers, plain HTTP to us
        return response

    def get(self, base: str, path: str) -> requests.Response:
        return self._send("GET", base, path)

    def post(self, base: str, path: str, data: dict, **kwargs) -> requests.Response:
        data = {"csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""), **data}
        return self._send("POST", base, path, data=data, **kwargs)


def expect(response: requests.Response, status: int, what: str) -> requests.Response:
    if response.status_code != status:
        fail(f"{what}: HTTP {response.status_code}, expected {status} ({response.headers.get('Location', '')})")
    print(f"ok   {what}: {status} from {response.url.split('/')[2]}")
    return response


def staff_csv() -> bytes:
    lines = ["matricule;prenom;nom;courriel;ecole"]
    for n in range(ROWS):
        lines.append(f"9{n:05d};Prénom{n};Nom{n};personne{n}@multiweb.example.org;{'E001' if n % 2 else 'E002'}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def waiting_uploads() -> list[str]:
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
        region_name=os.environ["AWS_S3_REGION_NAME"],
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    )
    listing = s3.list_objects_v2(Bucket=os.environ["AWS_STORAGE_BUCKET_NAME"], Prefix="imports/")
    return [item["Key"] for item in listing.get("Contents", [])]


def imported_people() -> int:
    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT p.id) FROM schools_person p JOIN schools_staffassignment a ON a.person_id = p.id "
            "WHERE p.employee_number LIKE '9%%' AND p.email LIKE '%%@multiweb.example.org'"
        )
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("--web1", "--web2", "--email", "--password", "--year"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    web1, web2 = args.web1, args.web2

    for base in (web1, web2):
        health = requests.get(f"{base}/health/", timeout=10)
        if health.status_code != 200 or health.json() != {"database": "ok", "broker": "ok"}:
            fail(f"{base}/health/: {health.status_code} {health.text}")
        print(f"ok   {base}/health/: {health.text}")

    hr = Browser()
    expect(hr.get(web1, "/comptes/login/"), 200, "sign-in page on web 1")
    signed_in = hr.post(web1, "/comptes/login/", {"login": args.email, "password": args.password})
    expect(signed_in, 302, "HR signs in on web 1")
    expect(hr.get(web2, "/"), 200, "the session is known to web 2")

    expect(hr.get(web1, "/ecoles/importer/"), 200, "import page on web 1")
    upload = hr.post(
        web1,
        "/ecoles/importer/",
        {"kind": "personnel", "year": args.year},
        files={"file": ("personnel.csv", staff_csv(), "text/csv")},
    )
    expect(upload, 302, "file uploaded on web 1")
    preview_path = upload.headers["Location"]
    if not re.fullmatch(r"/ecoles/importer/[A-Za-z0-9_-]+/", preview_path):
        fail(f"unexpected preview address {preview_path}")
    waiting = waiting_uploads()

    preview = expect(hr.get(web1, preview_path), 200, "preview on web 1")
    digest = re.search(r'name="digest" value="([^"]+)"', preview.text)
    if digest is None:
        fail("the preview offers no confirmation (errors in the file?)")

    confirmed = hr.post(web2, preview_path, {"digest": digest.group(1)})
    expect(confirmed, 302, "confirmation on web 2")
    if not confirmed.headers["Location"].startswith("/ecoles/personnel/"):
        fail(f"confirmation led to {confirmed.headers['Location']}, not the staff list")
    if len(waiting) != 1:
        fail(f"the parsed file should have waited in the bucket, found {waiting}")
    print("ok   the parsed file waited in the shared bucket, not on web 1's disk")
    landed = imported_people()
    if landed != ROWS:
        fail(f"{landed} people imported, expected {ROWS}")
    print(f"ok   {landed} people with their assignments are in PostgreSQL")
    if waiting_uploads():
        fail(f"the confirmed file is still in the bucket: {waiting_uploads()}")
    print("ok   web 2 removed the confirmed file from the bucket")
    expect(hr.get(web1, preview_path), 404, "the finished import is gone on web 1 too")
    print("multi-web import: previewed on web 1, confirmed on web 2")


if __name__ == "__main__":
    main()
