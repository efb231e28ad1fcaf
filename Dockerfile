# faqbot-12msp: the Discord FAQ bot for the 12MSP.
#
#   docker build -t faqbot-12msp .
#   docker run -d --name faqbot --env-file .env -v faqbot-data:/data \
#       -p 127.0.0.1:8080:8080 faqbot-12msp
#
# Replace the baked-in FAQ by mounting a directory at /app/faq (read-only is fine):
#   -v "$PWD/faq:/app/faq:ro"
# See README.md (Configuration, Docker) for every setting.

# --- stage 1: build the wheels (ours and every dependency) -------------------
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY faq ./faq
RUN pip wheel --wheel-dir /wheels .

# --- stage 2: the runtime image ----------------------------------------------
FROM python:3.11-slim

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/faqbot \
    PATH=/opt/faqbot/bin:$PATH

# Installed offline from the wheels built above: no compiler, no network here.
COPY --from=build /wheels /tmp/wheels
RUN python -m venv /opt/faqbot \
    && /opt/faqbot/bin/pip install --no-index --find-links=/tmp/wheels faqbot-12msp \
    && rm -rf /tmp/wheels

RUN useradd --system --user-group --uid 10001 --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin faqbot \
    && mkdir -p /data \
    && chown faqbot:faqbot /data

# The FAQ the image ships with; mount a directory here to replace it.
COPY faq /app/faq

ENV FAQ_DIR=/app/faq \
    DATA_DIR=/data \
    HEALTH_PORT=8080 \
    HEALTH_HOST=0.0.0.0

WORKDIR /app
VOLUME /data
EXPOSE 8080
USER faqbot

# Exits non-zero on 503 (gateway down or no FAQ loaded) and on connection errors.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('HEALTH_PORT', '8080') + '/healthz', timeout=4)"]

ENTRYPOINT ["faqbot"]
CMD ["run"]
