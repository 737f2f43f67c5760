# syntax=docker/dockerfile:1
# One image for every process of the Procfile (web, worker, beat) and for the release step.
# docker-compose.yml starts the whole stack; docs/deployment.md explains each piece.

# 1. Front-end assets (Bootstrap, Bootstrap Icons, Chart.js, htmx) from npm, at the versions of
#    package-lock.json: the site loads nothing from a CDN.
FROM node:22-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. The application.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    MENTORAT_VAR_DIR=/var/lib/mentorat
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# Hashed and compressed static files, built once into the image: every web container serves the
# same files and manifest through WhiteNoise, with no shared volume. (Settings need a SECRET_KEY to
# load with DEBUG=0; this one exists only during the build.)
RUN DEBUG=0 SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 10001 --home-dir /app --no-create-home mentorat \
    && mkdir -p "$MENTORAT_VAR_DIR/media" && chown -R mentorat "$MENTORAT_VAR_DIR"
USER mentorat
EXPOSE 8000
# The web process by default; compose runs the worker, beat and the release step from this image too.
CMD ["sh", "-c", "exec gunicorn mentorat.wsgi --bind 0.0.0.0:${PORT:-8000} --workers ${WEB_CONCURRENCY:-2} --max-requests 1000 --max-requests-jitter 100"]
