"""Optional completion/failure notice to a Slack-compatible webhook (`{"text": ...}`).

The URL comes only from LAPSTACK_FASTF1_WEBHOOK_URL and is never printed: webhook URLs are secrets.
"""

from __future__ import annotations

import json
import sys
import urllib.request


def notify(url: str | None, text: str, timeout_s: float = 10.0) -> bool:
    if not url:
        return False
    request = urllib.request.Request(url, data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 - user's own URL
            return 200 <= response.status < 300
    except Exception as exc:  # noqa: BLE001 - a notice must never fail the import
        print(f"lapstack: webhook notification failed ({type(exc).__name__})", file=sys.stderr)
        return False
