"""Remove everything active from rendered HTML, with nh3 (the Rust ammonia sanitizer).

Allow-list based: no ``<script>``/``<style>``/``<iframe>``/``<object>``/``<embed>``, no
``on*`` handlers, no ``style``; the caller's ``check_url`` decides every ``href``/``src``
(and may rewrite it, e.g. to an Anki media name). Risky schemes are let through to
``check_url`` on purpose, so that it can warn about them instead of nh3 dropping them
silently; anything else unknown is dropped by nh3.
"""

from __future__ import annotations

from collections.abc import Callable

import nh3

UrlCheck = Callable[[str, str, str], str | None]  # (tag, attribute, url) -> kept url or None

URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# A Windows drive (`C:\\Users\\…`, `H:/notes/…`) reads as a one-letter scheme: let it
# through to ``check_url`` too, which says it is an absolute path (nh3 dropped it unsaid).
_SEEN_SCHEMES = {"javascript", "vbscript", "file", "data", *"abcdefghijklmnopqrstuvwxyz"}
_TAGS = set(nh3.ALLOWED_TAGS)
_ATTRIBUTES: dict[str, set[str]] = {
    tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()
}
for _tag in ("h1", "h2", "h3", "h4", "h5", "h6", "a"):
    _ATTRIBUTES.setdefault(_tag, set()).add("id")  # heading ids and <a id> anchors
_ATTRIBUTES.setdefault("code", set()).add("class")  # language-python on fenced code
_ATTRIBUTES.setdefault("details", set()).add("open")


def sanitize(html: str, check_url: UrlCheck) -> str:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            return check_url(tag, attribute, value)
        return value

    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=set(nh3.ALLOWED_URL_SCHEMES) | _SEEN_SCHEMES,
    )
