"""Dataset text on the page: never trusted as Markdown, every value goes through ``md`` so a bracket, an
asterisk, a dollar sign or an HTML tag in a description shows as typed; links only to http(s)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from components.i18n import t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")
CERTAINTY_COLORS = {"confirmed": "green", "reported": "orange", "approximate": "gray"}
# Material Symbols ship with Streamlit, so they render offline where emoji fonts may be missing.
CATEGORY_ICONS = {
    "announcement": ":material/campaign:",
    "travel": ":material/train:",
    "arrival": ":material/login:",
    "departure": ":material/logout:",
    "summit": ":material/handshake:",
    "talks": ":material/forum:",
    "tour": ":material/factory:",
    "meal": ":material/restaurant:",
    "gift": ":material/redeem:",
    "ceremony": ":material/military_tech:",
    "commemoration": ":material/history_edu:",
    "context": ":material/newspaper:",
}


def badge(certainty: str, lang: str = "en") -> str:
    """A certainty as a coloured badge, in the page's language."""
    return f":{CERTAINTY_COLORS.get(certainty, 'gray')}-badge[{md(t(certainty, lang))}]"


def md(text: object) -> str:
    """Escape a value for Streamlit Markdown so it renders literally (no links, HTML, maths or emphasis)."""
    value = "" if text is None else str(text)
    return _MD_SPECIAL.sub(r"\\\1", value).replace("\n", " ")


def safe_link(url: str) -> str:
    """An http(s) URL made safe inside a Markdown link target (spaces and brackets percent-encoded)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return ""
    path = quote(parts.path, safe="/%:@!$&'*+,;=-._~")
    query_string = quote(parts.query, safe="=&%:@!$'*+,;/?-._~")
    return urlunsplit((parts.scheme, parts.netloc, path, query_string, "")).replace("(", "%28").replace(")", "%29")
