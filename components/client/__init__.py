"""The map's own browser code (``summit_map.js`` / ``summit_map.css``).

The files live beside this module so they can be linted and read as code. Where the app serves its own
files, the map links them (the browser fetches them once, and every change of the map no longer carries
them, since streamlit-folium re-sends its arguments whole); otherwise the base map carries them inline.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from folium.elements import JSCSSMixin
from jinja2 import Template

# Where the two plugins come from when the app cannot serve its own copies (static/ not writable).
PLUGIN_CDN_JS = [
    ("markercluster", "https://unpkg.com/leaflet.markercluster@1.4.1/dist/leaflet.markercluster.js"),
    ("gesturehandling", "https://unpkg.com/leaflet-gesture-handling@1.2.1/dist/leaflet-gesture-handling.min.js"),
]
PLUGIN_CDN_CSS = [
    ("markercluster_css", "https://unpkg.com/leaflet.markercluster@1.4.1/dist/MarkerCluster.css"),
    ("gesturehandling_css", "https://unpkg.com/leaflet-gesture-handling@1.2.1/dist/leaflet-gesture-handling.min.css"),
]


@cache
def client_file(name: str) -> str:
    """One of the packaged browser files, read once per process."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


class ClientCode(JSCSSMixin):
    """summit_map.css and summit_map.js, linked (``links``: the script's and the stylesheet's URLs) or
    inline, then initialised on the map."""

    _template = Template(
        """{% macro header(this, kwargs) %}{% if not this.linked %}<style>{{ this.css }}</style>{% endif %}{% endmacro %}
        {% macro script(this, kwargs) %}
        {% if not this.linked %}{{ this.js }}{% endif %}
        SummitMap.init({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, options: dict[str, Any], links: tuple[str, str] | None = None) -> None:
        super().__init__()
        self._name = "SummitClient"
        self.options = options
        self.linked = links is not None
        self.css = "" if links else client_file("summit_map.css")
        self.js = "" if links else client_file("summit_map.js")
        self.default_js = [("summit_map", links[0])] if links else []
        self.default_css = [("summit_map_css", links[1])] if links else []


def page_code() -> str:
    """The page's own CSS and script (history entries for Back/Forward), for ``st.html``."""
    return f"<style>{client_file('page.css')}</style><script>{client_file('page.js')}</script>"


def reveal_place_code(nonce: int) -> str:
    """A one-off script that scrolls the chosen place's details into view on a phone; the nonce makes
    each request a new element, so it runs again."""
    return f"<script>/* {int(nonce)} */ window.SummitPage && window.SummitPage.revealPlace();</script>"
