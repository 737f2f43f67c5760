from django.apps import AppConfig


class MentoratConfig(AppConfig):
    name = "mentorat"
    verbose_name = "Mentorat"

    def ready(self):
        import logging

        from mentorat.logfilters import MaskPersonalData

        # gunicorn sets up its loggers before Django's LOGGING; its access log carries the request line.
        for name in ("gunicorn.access", "gunicorn.error"):
            logging.getLogger(name).addFilter(MaskPersonalData())
