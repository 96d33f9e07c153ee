"""Serve Leaflet, its plugins and jQuery from the app itself so the map renders with no internet.

folium points every map at public CDNs; in an air-gapped lab that leaves the map frame empty.
The files come from XStatic packages (installed with the app, like any dependency), are copied
into ``static/vendor/`` and served by Streamlit's static file serving at ``/app/static/vendor/``.
"""

from __future__ import annotations

import filecmp
import hashlib
import shutil
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path

import folium
from branca.element import MacroElement
from jinja2 import Template

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
# Streamlit serves <app folder>/static at this path when [server] enableStaticServing is true.
VENDOR_URL = "/app/static/vendor"


@dataclass(frozen=True)
class Asset:
    """One file the map needs, where it comes from and where it is served. A versioned asset's URL
    carries its content's hash, so a browser never keeps an old copy of code that changes with the app."""

    package: str
    source: str
    target: str
    versioned: bool = False

    @property
    def url(self) -> str:
        if self.versioned:
            return f"{VENDOR_URL}/{self.target}?v={_content_hash(self.package, self.source)}"
        return f"{VENDOR_URL}/{self.target}"


LEAFLET_JS = Asset("xstatic.pkg.leaflet", "leaflet.js", "leaflet/leaflet.js")
LEAFLET_CSS = Asset("xstatic.pkg.leaflet", "leaflet.css", "leaflet/leaflet.css")
JQUERY_JS = Asset("xstatic.pkg.jquery", "jquery.min.js", "jquery/jquery.min.js")
CLUSTER_JS = Asset(
    "xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"
)
CLUSTER_CSS = Asset("xstatic.pkg.leaflet_markercluster", "MarkerCluster.css", "markercluster/MarkerCluster.css")
GESTURE_JS = Asset(
    "xstatic.pkg.leaflet_gesturehandling", "leaflet-gesture-handling.min.js", "gesturehandling/gesture-handling.min.js"
)
GESTURE_CSS = Asset(
    "xstatic.pkg.leaflet_gesturehandling",
    "leaflet-gesture-handling.min.css",
    "gesturehandling/gesture-handling.min.css",
)
# The map's own code, served beside the plugins: sent once, not with every change of the map.
CLIENT_JS = Asset("components.client", "summit_map.js", "summit/summit_map.js", versioned=True)
CLIENT_CSS = Asset("components.client", "summit_map.css", "summit/summit_map.css", versioned=True)
LEAFLET_IMAGES = tuple(
    Asset("xstatic.pkg.leaflet", f"images/{name}", f"leaflet/images/{name}")
    for name in ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")
)
ASSETS: tuple[Asset, ...] = (
    LEAFLET_JS,
    LEAFLET_CSS,
    JQUERY_JS,
    CLUSTER_JS,
    CLUSTER_CSS,
    GESTURE_JS,
    GESTURE_CSS,
    CLIENT_JS,
    CLIENT_CSS,
    *LEAFLET_IMAGES,
)
LEAFLET_IMAGE_PATH = f"{VENDOR_URL}/leaflet/images/"


def _package_dir(package: str) -> Path:
    """Where a package's files are: an XStatic package says so, our own is beside its module."""
    module = import_module(package)
    base = getattr(module, "BASE_DIR", None)
    return Path(base) if base else Path(str(module.__file__)).parent


@cache
def _content_hash(package: str, source: str) -> str:
    return hashlib.sha256((_package_dir(package) / source).read_bytes()).hexdigest()[:12]


def ensure_static_assets(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the vendored files from their XStatic packages when missing or changed; return their paths."""
    written: list[Path] = []
    for asset in ASSETS:
        source = _package_dir(asset.package) / asset.source
        target = vendor_dir / asset.target
        if not target.exists() or not filecmp.cmp(source, target, shallow=False):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        written.append(target)
    return written


class _LeafletImagePath(MacroElement):
    """Point Leaflet's default marker icons at the served images instead of a CDN guess."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}"""
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "LeafletImagePath"
        self.path = path


def use_local_assets(fmap: folium.Map) -> folium.Map:
    """Make a map load Leaflet, its two plugins and jQuery from the app, and nothing else from the web.

    The plugins load before the map is created: gesture handling hooks into every new map.
    """
    fmap.default_js = [
        ("leaflet", LEAFLET_JS.url),
        ("jquery", JQUERY_JS.url),
        ("markercluster", CLUSTER_JS.url),
        ("gesturehandling", GESTURE_JS.url),
    ]
    fmap.default_css = [
        ("leaflet_css", LEAFLET_CSS.url),
        ("markercluster_css", CLUSTER_CSS.url),
        ("gesturehandling_css", GESTURE_CSS.url),
    ]
    fmap.add_child(_LeafletImagePath(LEAFLET_IMAGE_PATH))
    return fmap
