# Survey explorer: one app process. For a whole company run several behind nginx (deploy/nginx.conf).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 explorer
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=explorer:explorer . .

# Never run as root; uploads live in this process's memory only. Published snapshots go to the store
# (SURVEY_EXPLORER_STORE: a SQLite file on a mounted volume, or PostgreSQL), written only when a lead publishes.
USER explorer
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
