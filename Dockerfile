# One image for the web, worker and beat services of docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 1000 app
COPY . .

# Static files are collected into the image, so they always match its code and a rollback to
# an older image serves that image's own files. The key and DEBUG apply to this line only: they
# make settings importable (DEBUG=false selects whitenoise's hashed, compressed storage) and
# never serve a request.
# The code stays root-owned, read-only for the app user, which writes only to var/ (MEDIA_ROOT
# is var/media, a named volume that takes this folder's owner when it is first created).
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app
EXPOSE 8000

# The web server. docker-compose.yml runs migrations first and overrides this for worker and beat.
CMD ["sh", "-c", "exec gunicorn apps.wsgi --bind 0.0.0.0:8000 --workers \"${GUNICORN_WORKERS:-3}\" --timeout \"${GUNICORN_TIMEOUT:-60}\" --access-logfile -"]
