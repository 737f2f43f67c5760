from django.apps import AppConfig


class MentoratConfig(AppConfig):
    name = "mentorat"
    verbose_name = "Mentorat"

    def ready(self):
        import logging

        # The session clock's user_logged_in receiver: connected at start-up, not when the middleware is
        # first loaded (a sign-in before any request, as in a test's force_login, would start no clock).
        from mentorat import middleware  # noqa: F401
        from mentorat.logfilters import MaskPersonalData

        # gunicorn sets up its loggers before Django's LOGGING; its access log carries the request line.
        for name in ("gunicorn.access", "gunicorn.error"):
            logging.getLogger(name).addFilter(MaskPersonalData())
