"""Flask + flask-cors gateway (the contract's /health and /api/chat), per VARIANT, run by gunicorn."""
import os
import re
import time

from flask import Flask, jsonify, request
from flask_cors import CORS

ORIGIN = os.environ["ORIGIN"]
VARIANT = os.environ.get("VARIANT", "good")
STARTED = time.time()

app = Flask(__name__)
if VARIANT == "good":
    CORS(app, origins=[ORIGIN], supports_credentials=True)
elif VARIANT == "regex-unanchored":
    # flask-cors treats a pattern with regex characters as a regex and tests it with re.match:
    # anchored at the start only, so anything that begins with the app's origin is allowed.
    CORS(app, origins=[r"^http://app\.example\.test"], supports_credentials=True)
elif VARIANT == "wildcard-credentials":
    # origins="*" (the default) with supports_credentials: flask-cors reflects the request's Origin.
    CORS(app, supports_credentials=True)
else:
    raise SystemExit("unknown VARIANT " + VARIANT)


@app.get("/health")
def health():
    return jsonify(status="healthy", version="1.0.0", uptime=round(time.time() - STARTED))


@app.post("/api/chat")
def chat():
    if not re.match(r"^Bearer \S+", request.headers.get("Authorization", "")):
        return jsonify(error="missing bearer token"), 401
    body = request.get_json(silent=True) or {}
    return jsonify(answer="echo: " + str(body.get("query", "")))
