"""Serve recorded FastF1 API responses (`<host>/<path>[@query]`) as a requests transport adapter.

Mounted in place of FastF1's own adapters, so FastF1's URL fallback, requests-cache, rate limiter and
parsers all run exactly as online; nothing opens a socket.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests
import urllib3
from requests.adapters import BaseAdapter, HTTPAdapter


def replay_path(root: Path, url: str) -> Path | None:
    """The recorded file for a URL, or None when the URL would leave the replay folder."""
    parts = urlsplit(url)
    name = unquote(parts.path).lstrip("/")
    if parts.query:
        name += "@" + unquote(parts.query)
    path = (root / (parts.hostname or "") / name).resolve()
    return path if path.is_relative_to(root.resolve()) else None


class ReplayAdapter(BaseAdapter):
    """Answers from files under `root`; 404 for anything not recorded."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = Path(root)
        self._builder = HTTPAdapter()

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:  # noqa: ARG002
        path = replay_path(self.root, request.url or "")
        found = path is not None and path.is_file()
        body = path.read_bytes() if found and path is not None else b""
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(body), status=200 if found else 404, preload_content=False, decode_content=False,
            headers={"Content-Length": str(len(body)), "Content-Type": "application/octet-stream"},
            request_url=request.url, reason="OK" if found else "Not Found")
        return self._builder.build_response(request, raw)

    def close(self) -> None:
        self._builder.close()
