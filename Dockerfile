# The registry's production image: gunicorn serving the Django app (see docker-compose.yml).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .
RUN SECRET_KEY=build python manage.py compilemessages --ignore=.venv
RUN SECRET_KEY=build python manage.py collectstatic --no-input \
    && mkdir -p var/search-index \
    && useradd --system --uid 1000 registry \
    && chown -R registry /app
USER registry

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.py"]
