"""Documents of a step (links and uploaded files: limits, types, private download) and comments (e-mail, unread)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorat import factories as f
from schools.plans.models import CommentsSeen, StepComment, StepDocument
from schools.plans.tests.conftest import PDF


def stored_files(media_root) -> list:
    folder = media_root / "plans"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def office_file(part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def upload(client, step, name, content, title="Compte rendu"):
    return client.post(
        reverse("plans:document_add", kwargs={"pk": step.pk}),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


# --- Documents ---


def test_director_uploads_a_pdf_served_only_through_the_checked_view(client, director_a, pane, step_a, _media_in_tmp):
    client.force_login(director_a)
    response = upload(client, step_a, "compte-rendu CPE.pdf", PDF)
    assert response.status_code == 302
    document = StepDocument.objects.get(step=step_a)
    assert document.size == len(PDF) and document.content_type == "application/pdf"
    # Stored through the storage API under a path nobody can guess.
    assert document.file.name.startswith("plans/") and len(document.file.name.split("/")[1]) >= 32
    assert len(stored_files(_media_in_tmp)) == 1
    client.force_login(pane)
    download = client.get(reverse("plans:document_download", kwargs={"pk": document.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    page = client.get(reverse("plans:plan_detail", kwargs={"pk": step_a.plan_id})).content.decode()
    assert reverse("plans:document_download", kwargs={"pk": document.pk}) in page
    assert "/media/" not in page


def test_a_too_large_file_is_refused_and_nothing_is_stored(client, director_a, step_a, settings, _media_in_tmp):
    settings.PLAN_UPLOAD_MAX_BYTES = 1024
    client.force_login(director_a)
    response = upload(client, step_a, "gros.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    body = response.content.decode()
    assert "la limite est de 1,0" in body and 'aria-invalid="true"' in body
    assert not StepDocument.objects.exists()
    assert stored_files(_media_in_tmp) == []


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("outil.exe", b"MZ\x90\x00", "Ce type de fichier n&#x27;est pas accepté."),
        ("faux.pdf", b"<html>pas un pdf</html>", "ne correspond pas à un fichier PDF"),
        ("faux.docx", PDF, "ne correspond pas à un fichier DOCX"),
        ("classeur.xlsx", office_file("word/document.xml"), "ne correspond pas à un fichier XLSX"),
        ("image.png", b"\xff\xd8\xff\xe0 jpeg", "ne correspond pas à un fichier PNG"),
    ],
)
def test_disallowed_files_are_refused_with_a_french_message(
    client, director_a, step_a, _media_in_tmp, name, content, message
):
    client.force_login(director_a)
    response = upload(client, step_a, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StepDocument.objects.exists() and stored_files(_media_in_tmp) == []


@pytest.mark.parametrize(
    "name,content",
    [
        ("guide.docx", office_file()),
        ("suivi.xlsx", office_file("xl/workbook.xml")),
        ("photo.JPG", b"\xff\xd8\xff\xe0rest"),
    ],
)
def test_office_files_and_images_are_accepted(client, director_a, step_a, name, content):
    client.force_login(director_a)
    assert upload(client, step_a, name, content).status_code == 302
    assert StepDocument.objects.get().filename.lower() == name.lower()


def test_a_link_or_a_file_not_both_and_not_neither(client, director_a, step_a):
    client.force_login(director_a)
    url = reverse("plans:document_add", kwargs={"pk": step_a.pk})
    response = client.post(url, {"title": "Rien"})
    assert "Donnez un lien ou choisissez un fichier" in response.content.decode()
    response = client.post(url, {"title": "Guide", "url": "javascript:alert(1)"})
    assert "Saisissez une URL valide." in response.content.decode()
    client.post(url, {"title": "Aide-mémoire", "url": "https://docs.example.org/aide-memoire"})
    assert StepDocument.objects.get().url == "https://docs.example.org/aide-memoire"


def test_removing_a_document_deletes_the_file(
    client, director_a, document_a, _media_in_tmp, django_capture_on_commit_callbacks
):
    assert len(stored_files(_media_in_tmp)) == 1
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:document_delete", kwargs={"pk": document_a.pk}))
    assert not StepDocument.objects.exists() and stored_files(_media_in_tmp) == []


def test_another_schools_file_is_hidden(client, director_a, document_b):
    client.force_login(director_a)
    assert client.get(reverse("plans:document_download", kwargs={"pk": document_b.pk})).status_code == 404


def test_uploaded_files_are_not_under_a_public_url(document_a):
    from django.conf import settings

    # Files live in default storage but pages only ever link the access-checked view.
    assert not document_a.file.name.startswith(settings.STATIC_URL)
    assert reverse("plans:document_download", kwargs={"pk": document_a.pk}).startswith("/ecoles/plans/documents/")


# --- Comments ---


def test_pane_comments_and_the_director_gets_an_email_after_commit(
    client, pane, director_a, step_a, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(pane)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("plans:step_comment", kwargs={"pk": step_a.pk}), {"body": "Pensez à inviter la PANE."}
        )
    assert response.status_code == 302
    assert StepComment.objects.get().author == pane
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [director_a.person.email]
    assert "Nouveau commentaire sur le plan de déploiement 2026-2027" in message.subject
    assert "Pensez à inviter la PANE." in message.body
    assert f"/ecoles/plans/{step_a.plan_id}/#step-{step_a.pk}" in message.body


def test_no_email_is_queued_when_the_comment_is_refused(
    client, pane, step_a, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(pane)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:step_comment", kwargs={"pk": step_a.pk}), {"body": "   "})
    assert not StepComment.objects.exists() and mailoutbox == []


def test_director_sees_unread_comments_until_marked_read(client, pane, director_a, step_a):
    client.force_login(pane)
    client.post(reverse("plans:step_comment", kwargs={"pk": step_a.pk}), {"body": "Très bonne idée de comité."})
    client.force_login(director_a)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-unread"' in home and "1 commentaire non lu" in home
    page = client.get(reverse("plans:plan_detail", kwargs={"pk": step_a.plan_id})).content.decode()
    assert 'data-testid="unread-comments"' in page and "Très bonne idée de comité." in page
    client.post(reverse("plans:comments_read", kwargs={"pk": step_a.plan_id}))
    assert CommentsSeen.objects.filter(user=director_a).exists()
    page = client.get(reverse("plans:plan_detail", kwargs={"pk": step_a.plan_id})).content.decode()
    assert 'data-testid="unread-comments"' not in page
    assert "Très bonne idée de comité." in page  # still shown under its step


def test_the_directors_own_reply_is_not_unread_for_them(
    client, director_a, step_a, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:step_comment", kwargs={"pk": step_a.pk}), {"body": "Merci, c'est noté."})
    assert mailoutbox == []
    page = client.get(reverse("plans:plan_detail", kwargs={"pk": step_a.plan_id})).content.decode()
    assert 'data-testid="unread-comments"' not in page


def test_every_director_of_the_school_is_told(
    client, pane, director_a, school_a, year, step_a, mailoutbox, django_capture_on_commit_callbacks
):
    second = f.person_with_account("adjointe@example.org")
    f.give_role(second, "director", school=school_a, year=year)
    client.force_login(pane)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:step_comment", kwargs={"pk": step_a.pk}), {"body": "Bravo."})
    assert sorted(m.to[0] for m in mailoutbox) == sorted([director_a.person.email, "adjointe@example.org"])


@pytest.fixture
def urls_as_in_debug(settings):
    """The URL configuration as `runserver` with DEBUG on builds it."""
    import importlib

    from django.urls import clear_url_caches

    import mentorat.urls

    settings.DEBUG = True
    importlib.reload(mentorat.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(mentorat.urls)
    clear_url_caches()


def test_an_uploaded_document_is_never_served_from_the_media_url(client, director_a, step_a, urls_as_in_debug):
    client.force_login(director_a)
    upload(client, step_a, "compte-rendu.pdf", PDF)
    document = StepDocument.objects.get(step=step_a)
    # Even someone allowed to read it gets it only through the access-checked view.
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(reverse("plans:document_download", kwargs={"pk": document.pk})).status_code == 200
    client.logout()
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_a_document_in_the_s3_bucket_is_served_by_the_checked_view(
    client, director_a, pane, step_a, s3_storage, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    assert upload(client, step_a, "compte-rendu.pdf", PDF).status_code == 302
    document = StepDocument.objects.get(step=step_a)
    assert [item.key for item in s3_storage.objects.all()] == [document.file.name]
    client.force_login(pane)  # any web machine: the file is read from the bucket
    download = client.get(reverse("plans:document_download", kwargs={"pk": document.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:document_delete", kwargs={"pk": document.pk}))
    assert list(s3_storage.objects.all()) == []
