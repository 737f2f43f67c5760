"""Template filters of the accompaniment calendar: the cohorts' pages load them by this name too."""

from mentors.templatetags.calendar_tags import register  # noqa: F401 (one library, two names)
