/* Summit Map's own Leaflet code: clustered, keyboard-operable place markers, a steady view and
 * remembered layer choices. Loaded once with the base map; the per-rerun layers call into it.
 *
 * Why here and not in folium templates: the layers that follow the widgets are re-evaluated on
 * every rerun (streamlit-folium's feature_group_to_add), so anything that must survive a rerun
 * (which overlays the reader hid, which place was last brought into view) lives on `window`.
 */
(function () {
  "use strict";

  var SummitMap = (window.SummitMap = window.SummitMap || {});
  var state = (SummitMap.state = SummitMap.state || {
    hiddenOverlays: {},
    selectionKey: undefined,
    place: undefined,
    markers: {},
    cluster: null,
  });

  // A locomotive drawn in SVG: emoji fonts are often missing on air-gapped Linux machines.
  var TRAIN_ICON =
    '<svg class="summit-train" viewBox="0 0 24 24" width="24" height="24" aria-label="train" role="img">' +
    '<circle cx="12" cy="12" r="11" fill="#111" stroke="#fff" stroke-width="2"/>' +
    '<rect x="7" y="5.5" width="10" height="10" rx="2" fill="#fff"/>' +
    '<rect x="8.5" y="7" width="7" height="3.5" fill="#111"/>' +
    '<circle cx="9.5" cy="13" r="1" fill="#111"/><circle cx="14.5" cy="13" r="1" fill="#111"/>' +
    '<path d="M8 19l2-3h4l2 3" stroke="#fff" stroke-width="1.5" fill="none"/></svg>';

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* The map frame as a screen reader meets it: a named frame, a main landmark, zoom allowed. */
  function fixFrameAccessibility(map, options) {
    if (window.frameElement && options.frameTitle) {
      window.frameElement.setAttribute("title", options.frameTitle);
    }
    // folium's header adds a second viewport tag that blocks pinch zoom: every one allows it.
    Array.prototype.forEach.call(document.querySelectorAll('meta[name="viewport"]'), function (viewport) {
      viewport.setAttribute("content", "width=device-width, initial-scale=1");
    });
    var root = document.getElementById("root");
    if (root) {
      root.setAttribute("role", "main");
      root.setAttribute("aria-label", options.frameTitle || "Map");
      if (!document.querySelector("h1")) {
        var heading = document.createElement("h1");
        heading.className = "summit-sr";
        heading.textContent = options.frameTitle || "Map";
        root.insertBefore(heading, root.firstChild);
      }
    }
    Array.prototype.forEach.call(document.querySelectorAll("body > span"), function (span) {
      if (!span.textContent.trim()) {
        span.setAttribute("aria-hidden", "true");
      }
    });
    var container = map.getContainer();
    container.setAttribute("aria-label", options.mapLabel || "Map");
    container.setAttribute("role", "region");
  }

  /* Enter or Space on a focused marker or cluster acts like a click (Leaflet only opens popups). */
  function enableKeyboardActivation(map) {
    map.getContainer().addEventListener("keydown", function (event) {
      var target = event.target;
      if (!target || !target.classList || !target.classList.contains("leaflet-marker-icon")) {
        return;
      }
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation();
        // A place opened from the keyboard keeps the focus once the rerun has redrawn the places.
        var place = Array.prototype.find.call(target.classList, function (name) {
          return name.indexOf("place-") === 0;
        });
        state.refocus = place ? place.slice("place-".length) : null;
        target.click();
      }
    });
  }

  /* Remember overlays the reader switched off, by name: the layer control is rebuilt on every rerun. */
  function rememberLayerChoices(map) {
    map.getContainer().addEventListener(
      "change",
      function (event) {
        var input = event.target;
        if (!input || input.type !== "checkbox" || !input.closest(".leaflet-control-layers-overlays")) {
          return;
        }
        var label = input.closest("label");
        var name = label ? label.textContent.trim() : "";
        if (name) {
          state.hiddenOverlays[name] = !input.checked;
        }
      },
      true
    );
  }

  function applyLayerChoices(map) {
    var control = window.layer_control;
    if (!control || !control._layers) {
      return;
    }
    control._layers.forEach(function (entry) {
      if (entry.overlay && state.hiddenOverlays[entry.name] && map.hasLayer(entry.layer)) {
        map.removeLayer(entry.layer);
      }
    });
  }

  /* The map's value as streamlit-folium sends it (its returned_objects, in its order), plus the last
   * map-first run drawn. streamlit-folium remembers the value it last sent and sends only a different
   * one: it is told what was sent here, so its own send, 250 ms later, is skipped. */
  function sendValue() {
    var data = window.__GLOBAL_DATA__;
    if (!data || !window.Streamlit) {
      return;
    }
    var value = {
      last_object_clicked_count: data.last_object_clicked_count,
      last_object_clicked_tooltip: data.last_object_clicked_tooltip,
    };
    data.previous_data = JSON.parse(JSON.stringify(value));
    // The place clicked, as data: only while the last click counted is the one on that place.
    var clicked = state.clicked;
    value.place = clicked && clicked.count === data.last_object_clicked_count ? clicked.id : null;
    value.catch_up = state.catchUp === undefined ? null : state.catchUp;
    window.Streamlit.setComponentValue(value);
  }

  /* A place clicked is sent at once, not after streamlit-folium's 250 ms debounce: once Leaflet has
   * finished the click (streamlit-folium counts it and reads its tooltip on the way). */
  function sendClickSoon(event) {
    var id = event && event.target ? event.target.summitId : null;
    Promise.resolve().then(function () {
      var data = window.__GLOBAL_DATA__ || {};
      state.clicked = id ? { id: id, count: data.last_object_clicked_count } : null;
      sendValue();
    });
  }

  /* After a map-first run (the server reran only the map, for a new day or years) the rest of the page
   * is out of date: ask for it once the new layers are drawn. The first number seen is the page's own. */
  SummitMap.catchUp = function (run) {
    if (run === state.catchUp) {
      return;
    }
    var first = state.catchUp === undefined;
    state.catchUp = run;
    if (!first) {
      sendValue();
    }
  };

  /* The legend: the trips' colours, then what a dashed line, the train and a place mean. Text as text. */
  function legendControl(map, legend) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "summit-legend");
      var details = L.DomUtil.create("details", "", div);
      details.open = true;
      L.DomUtil.create("summary", "", details).textContent = legend.title;
      function row(swatchClass, label, color, parent) {
        var line = L.DomUtil.create("div", "", parent || details);
        var swatch = L.DomUtil.create("span", swatchClass, line);
        if (color) {
          swatch.style.borderColor = color;
        }
        line.appendChild(document.createTextNode(label));
      }
      // The trips side by side, two to a line: the legend stays short as meetings are added.
      var trips = L.DomUtil.create("div", "summit-legend-trips", details);
      legend.trips.forEach(function (trip) {
        row("swatch", trip.label, trip.color, trips);
      });
      row("swatch swatch-ahead", legend.ahead);
      if (legend.flight) {
        row("swatch swatch-flight", legend.flight);
      }
      row("dot dot-train", legend.train);
      row("dot dot-place", legend.place);
      return div;
    };
    control.addTo(map);
  }

  /* A fullscreen toggle in plain Leaflet, so no third-party plugin has to be fetched. */
  function fullscreenControl(map, label) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control");
      var link = L.DomUtil.create("a", "summit-fullscreen", bar);
      link.href = "#";
      link.title = label;
      link.setAttribute("role", "button");
      link.setAttribute("aria-label", label);
      link.innerHTML =
        '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">' +
        '<path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" stroke="#333" stroke-width="2" fill="none"/></svg>';
      L.DomEvent.on(link, "click", function (event) {
        L.DomEvent.preventDefault(event);
        var element = map.getContainer();
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else if (element.requestFullscreen) {
          element.requestFullscreen();
        }
      });
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    };
    control.addTo(map);
    document.addEventListener("fullscreenchange", function () {
      map.invalidateSize();
    });
  }

  /* Leaflet focuses the map on a press; when the map reaches below the window (a short screen), that focus
   * scrolls the page between the press and the release, so the release lands elsewhere and a click on a
   * group or a place is lost. Focusing first, without scrolling, leaves Leaflet nothing to do. */
  function keepThePageStill(map) {
    var container = map.getContainer();
    container.addEventListener(
      "mousedown",
      function () {
        if (document.activeElement !== container) {
          container.focus({ preventScroll: true });
        }
      },
      true
    );
  }

  SummitMap.init = function (map, options) {
    options = options || {};
    state.labels = options;
    keepThePageStill(map);
    if (options.legend) {
      legendControl(map, options.legend);
    }
    fullscreenControl(map, options.fullscreen || "Full screen");
    // Land under everything, names above the routes but deaf to the pointer (the basemap and the stops use them).
    if (!map.getPane("summitLand")) {
      map.createPane("summitLand").style.zIndex = 250;
      var namePane = map.createPane("summitLabels");
      namePane.style.zIndex = 450;
      namePane.style.pointerEvents = "none";
    }
    var trainPane = map.createPane("summitTrain");
    trainPane.style.zIndex = 590; // under the place markers (600): the train never takes their clicks
    trainPane.style.pointerEvents = "none";
    fixFrameAccessibility(map, options);
    enableKeyboardActivation(map);
    rememberLayerChoices(map);
    setTimeout(function () {
      // On a narrow map the legend starts folded, leaving the places room.
      var legend = map.getContainer().querySelector(".summit-legend details");
      if (legend && map.getSize().x < 480) {
        legend.open = false;
      }
    }, 0);
    if (map.gestureHandling && options.gestureHandling !== false) {
      map.gestureHandling.enable();
    }
    // The first value tells the server this map asks for the rest of the page after a map-first run.
    // streamlit-folium sends its first value right after this code; being the same, it is skipped.
    sendValue();
  };

  /* A label with its {fields} filled in. */
  function fill(template, fields) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return name in fields ? String(fields[name]) : whole;
    });
  }

  function clusterIcon(cluster) {
    var children = cluster.getAllChildMarkers();
    var names = children
      .map(function (marker) {
        return marker.summitName;
      })
      .sort();
    var selected = children.some(function (marker) {
      return marker.summitSelected;
    });
    var labels = state.labels || {};
    var first = names.slice(0, 8).join(", ");
    var shown = names.length > 8 ? fill(labels.groupMore || "{names} and {n} more", { names: first, n: names.length - 8 }) : first;
    var label = fill(labels.group || "{n} places: {names}", { n: names.length, names: shown });
    // A group is no place: its click sends no place id.
    cluster.unbindTooltip();
    cluster.bindTooltip(escapeHtml(label) + "<br><i>" + escapeHtml(labels.groupOpen || "Click to show each place") + "</i>", {
      direction: "top",
    });
    var size = names.length < 10 ? 34 : 40;
    return L.divIcon({
      html:
        '<span class="summit-cluster-count" aria-hidden="true">' +
        names.length +
        '</span><span class="summit-sr">' +
        escapeHtml(label) +
        ". " +
        escapeHtml(labels.groupEnter || "Press Enter to show them.") +
        "</span>",
      className: "summit-cluster" + (selected ? " is-selected" : ""),
      iconSize: [size, size],
    });
  }

  /* An opened group's places, each named where it stands: no hover needed, on a phone either. The name
   * sits on the side away from the group's centre, so the labels fan out with the places. */
  /* The map's HTML is put in the page by script, so its stylesheet may arrive after the first layers are
   * drawn: anything measured (a name's width, a label's box) waits for it. */
  function afterStyles(callback) {
    var link = document.querySelector('link[href*="summit_map.css"]');
    if (!link || link.sheet) {
      callback();
    } else {
      link.addEventListener("load", callback, { once: true });
    }
  }

  function nameOpenedPlaces(markers) {
    if (!markers || !markers.length) {
      return;
    }
    var map = markers[0]._map;
    var centre = L.point(0, 0);
    markers.forEach(function (marker) {
      centre = centre.add(map.latLngToLayerPoint(marker.getLatLng()));
    });
    centre = centre.divideBy(markers.length);
    markers.forEach(function (marker) {
      var point = map.latLngToLayerPoint(marker.getLatLng());
      var right = point.x >= centre.x;
      marker.summitLabel = L.tooltip({
        permanent: true,
        direction: right ? "right" : "left",
        offset: [right ? 8 : -8, 0],
        className: "summit-place-name",
        interactive: false,
      })
        .setLatLng(marker.getLatLng())
        .setContent(escapeHtml(marker.summitName))
        .addTo(map);
    });
  }

  /* Names on the same side of an opened group that would overlap are moved down, one under the other, so
   * every name reads whole (the chosen place's name first among equals: it is drawn on top). */
  function separateNames(markers) {
    // From scratch each time: every name back beside its place, unshifted, then measured. A pass that ran
    // while the group was still opening (names at its centre) leaves nothing behind for the next one.
    markers.forEach(function (marker) {
      var label = marker.summitLabel;
      if (label && label._map) {
        label.options.offset = [label.options.offset[0], 0];
        label.setLatLng(marker.getLatLng());
        label.update();
      }
    });
    ["left", "right"].forEach(function (side) {
      var named = markers
        .filter(function (marker) {
          return marker.summitLabel && marker.summitLabel._map && marker.summitLabel.options.direction === side;
        })
        .map(function (marker) {
          return { label: marker.summitLabel, box: marker.summitLabel.getElement().getBoundingClientRect() };
        })
        .sort(function (a, b) {
          return a.box.top - b.box.top;
        });
      var bottom = -Infinity;
      named.forEach(function (item) {
        var shift = Math.max(0, bottom + 2 - item.box.top);
        if (shift) {
          item.label.options.offset = [item.label.options.offset[0], item.label.options.offset[1] + shift];
          item.label.update();
        }
        bottom = item.box.bottom + shift;
      });
    });
  }

  /* Pan so an opened group's places sit inside the map and clear of its controls (zoom buttons,
   * legend, scale), where a pointer or a finger can reach every one of them. */
  function keepClearOfControls(map, markers) {
    if (!map || !markers || !markers.length) {
      return;
    }
    var size = map.getSize();
    var pad = { left: 56, top: 16, right: 16, bottom: 16 };
    var corner = map.getContainer().querySelector(".leaflet-bottom.leaflet-right");
    if (corner) {
      pad.bottom = Math.max(pad.bottom, corner.offsetHeight + 12);
    }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    var box = map.getContainer().getBoundingClientRect();
    markers.forEach(function (marker) {
      var point = map.latLngToContainerPoint(marker.getLatLng());
      minX = Math.min(minX, point.x);
      minY = Math.min(minY, point.y);
      maxX = Math.max(maxX, point.x);
      maxY = Math.max(maxY, point.y);
      // A place's name, where it is drawn, must fit too (but never more than the map is wide).
      var label = marker.summitLabel && marker.summitLabel.getElement && marker.summitLabel.getElement();
      if (label) {
        var rect = label.getBoundingClientRect();
        minX = Math.min(minX, Math.max(rect.left - box.left + 20, point.x - size.x / 2));
        maxX = Math.max(maxX, Math.min(rect.right - box.left - 20, point.x + size.x / 2));
      }
    });
    // The layer switch and the list of places outside the view stand in the top right corner.
    var top = map.getContainer().querySelector(".leaflet-top.leaflet-right");
    if (top && maxX + 20 > size.x - top.offsetWidth - 8) {
      pad.top = Math.max(pad.top, top.offsetHeight + 8);
    }
    var dx = 0, dy = 0;
    if (maxX - minX + 40 > size.x - pad.left - pad.right) {
      // Wider than the map (a phone): centred, so both sides' names lose the same, least.
      dx = (minX + maxX) / 2 - (pad.left + size.x - pad.right) / 2;
    } else if (minX - 20 < pad.left) {
      dx = minX - 20 - pad.left;
    } else if (maxX + 20 > size.x - pad.right) {
      dx = maxX + 20 - (size.x - pad.right);
    }
    if (minY - 20 < pad.top) {
      dy = minY - 20 - pad.top;
    } else if (maxY + 20 > size.y - pad.bottom) {
      dy = maxY + 20 - (size.y - pad.bottom);
    }
    if (dx || dy) {
      map.panBy([dx, dy], { animate: false });
    }
  }

  /* The offline basemap, fetched once as static files (never part of the map's HTML): land under
   * everything, city labels that never take a click, each shown from the zoom its size earns. */
  SummitMap.basemap = function (group, options) {
    var map = group._map || null;
    function whenOnMap(callback) {
      if (group._map) {
        callback(group._map);
      } else {
        group.once("add", function () {
          callback(group._map);
        });
      }
    }
    whenOnMap(function (map) {
      if (!map.getPane("summitLand")) {
        map.createPane("summitLand").style.zIndex = 250;
        var labelPane = map.createPane("summitLabels");
        labelPane.style.zIndex = 450;
        labelPane.style.pointerEvents = "none";
      }
      if (map.attributionControl && options.attribution) {
        map.attributionControl.addAttribution(options.attribution);
      }
    });
    fetch(options.land)
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        L.geoJSON(data, {
          pane: "summitLand",
          interactive: false,
          style: function (feature) {
            // Lakes in the sea's colour over the land, rivers as thin lines of it, then the countries.
            var kind = feature.properties.kind;
            if (kind === "lake") {
              return { fillColor: options.waterColor, fillOpacity: 1, color: options.waterColor, weight: 0.5 };
            }
            if (kind === "river") {
              return { color: options.waterColor, weight: 1.2, opacity: 1, fill: false };
            }
            return { fillColor: options.landColor, fillOpacity: 1, color: options.borderColor, weight: 1 };
          },
        }).addTo(group);
      })
      .catch(function () {});
    fetch(options.labels)
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        var key = options.labelName || "name";
        var named = data.features.filter(function (feature) {
          return !!feature.properties[key]; // no name in the reader's language: no label, not an English one
        });
        var labels = named.map(function (feature) {
          var c = feature.geometry.coordinates;
          var marker = L.marker([c[1], c[0]], {
            pane: "summitLabels",
            interactive: false,
            keyboard: false,
            icon: L.divIcon({
              className: "summit-label",
              html: "<span>" + escapeHtml(feature.properties[key]) + "</span>",
              iconSize: null,
            }),
          });
          marker.summitMinZoom = feature.properties.min_zoom;
          return marker;
        });
        // Biggest cities first: when two labels would overlap, the one shown from a lower zoom wins.
        labels.sort(function (a, b) {
          return a.summitMinZoom - b.summitMinZoom;
        });
        var layer = L.layerGroup().addTo(group);
        function refresh() {
          var zoom = group._map ? group._map.getZoom() : 0;
          labels.forEach(function (marker) {
            var show = zoom >= marker.summitMinZoom;
            if (show && !layer.hasLayer(marker)) {
              layer.addLayer(marker);
            } else if (!show && layer.hasLayer(marker)) {
              layer.removeLayer(marker);
            }
          });
          declutter();
        }
        state.cityLabels = labels;
        state.labelLayer = layer;
        whenOnMap(function (map) {
          map.on("zoomend moveend", refresh);
          refresh();
        });
      })
      .catch(function () {});
  };

  /* City labels never sit under a place, a group or each other: a label whose box meets a marker's or a
   * label already kept is hidden until the view changes. Run after every redraw of labels or places. */
  function declutter() {
    // Many redraws in one tick (labels, places, a fitted view) make one pass, after all of them.
    clearTimeout(state.declutterTimer);
    state.declutterTimer = setTimeout(function () {
      afterStyles(placeLabels);
    }, 0);
  }

  /* Every city and stop name where it meets nothing, or hidden (the declutter pass). */
  function placeLabels() {
    var labels = (state.stopLabels || []).concat(state.cityLabels || []);
    var taken = Array.prototype.map.call(
      document.querySelectorAll(
        ".summit-place, .summit-cluster, .leaflet-control, .summit-place-name, .summit-train-icon"
      ),
      function (element) {
        return element.getBoundingClientRect();
      }
    );
    function meets(a, b) {
      return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }
    // A name cut by the map's edge reads as another name: it must fit inside the map too.
    var container = document.querySelector(".leaflet-container");
    var frame = container ? container.getBoundingClientRect() : null;
    function inside(box) {
      return !frame || (box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom);
    }
    labels.forEach(function (marker) {
      var element = marker._map && marker.getElement();
      if (!element) {
        return;
      }
      var text = element.firstChild || element;
      element.style.visibility = "";
      // Where the city is, else just above or below it (a group's circle often sits on its city).
      var shifts = [0, -24, 24];
      var kept = null;
      for (var i = 0; i < shifts.length && !kept; i += 1) {
        text.style.transform = shifts[i] ? "translateY(" + shifts[i] + "px)" : "";
        var box = text.getBoundingClientRect();
        var clash = !inside(box) || taken.some(function (other) {
          return meets(box, other);
        });
        if (!clash) {
          kept = box;
        }
      }
      element.style.visibility = kept ? "" : "hidden";
      if (kept) {
        taken.push(kept);
      } else {
        text.style.transform = "";
      }
    });
    state.declutterTimer = null; // settled: nothing waits to be placed
  }

  /* The routes' geometry, fetched once per file and kept for every later day. */
  function routeFile(url) {
    state.routeFiles = state.routeFiles || {};
    if (!state.routeFiles[url]) {
      var file = (state.routeFiles[url] = { legs: null });
      file.ready = fetch(url)
        .then(function (response) {
          return response.json();
        })
        .then(function (legs) {
          file.legs = legs;
          return legs;
        });
    }
    return state.routeFiles[url];
  }

  /* A flight: the trip's colour, thin and dotted, so it never reads as a railway. */
  function flightStyle(base) {
    var style = {};
    Object.keys(base).forEach(function (key) {
      style[key] = base[key];
    });
    style.weight = Math.max(2, Math.round(base.weight / 2));
    style.dashArray = "1 7";
    style.lineCap = "round";
    style.className = base.className + " route-flight";
    return style;
  }

  /* One route line with the options the server chose (layers.route_styles); a lone point is no line. */
  function routeLine(group, points, style) {
    if (points.length < 2) {
      return;
    }
    var line = L.polyline(points, {
      color: style.color,
      weight: style.weight,
      opacity: style.opacity,
      dashArray: style.dashArray,
      lineCap: style.lineCap || "round",
      className: style.className,
    })
      .bindTooltip(style.tooltip, { sticky: true })
      .addTo(group);
    outOfTabOrder(line);
  }

  /* Chrome puts every interactive SVG path in the tab order: a route is read by its tooltip and the
   * legend, so its lines stay out of the keyboard's way and the places come first. */
  function outOfTabOrder(layer) {
    function hide() {
      var element = layer.getElement && layer.getElement();
      if (element) {
        element.setAttribute("tabindex", "-1");
        element.setAttribute("aria-hidden", "true");
      }
    }
    hide();
    layer.on("add", hide);
  }

  /* Each trip's route as the server cut it for the day: its first `done` legs travelled (solid), the
   * leg under way in the two halves the server sent, the rest ahead (dashed and faint). */
  SummitMap.routes = function (group, options) {
    function draw(legsByTrip) {
      options.trips.forEach(function (trip) {
        var legs = legsByTrip[trip.id] || [];
        var next = trip.done + (trip.underWay ? 1 : 0);
        var flown = trip.flights || [];
        function style(base, index) {
          return flown.indexOf(index) < 0 ? base : flightStyle(base);
        }
        legs.slice(0, trip.done).forEach(function (points, index) {
          routeLine(group, points, style(trip.styles.done, index));
        });
        if (trip.underWay) {
          routeLine(group, trip.underWay.done, style(trip.styles.done, trip.done));
          routeLine(group, trip.underWay.ahead, style(trip.styles.ahead, trip.done));
        }
        legs.slice(next).forEach(function (points, index) {
          routeLine(group, points, style(trip.styles.ahead, next + index));
        });
      });
    }
    if (options.geometry) {
      draw(options.geometry); // the app could not write the file: the same JSON came inline
      return;
    }
    var file = routeFile(options.url);
    if (file.legs) {
      draw(file.legs);
    } else {
      file.ready.then(draw).catch(function () {});
    }
  };

  /* Places with events, clustered; a cluster opens into its places on one click (spiderfied). */
  SummitMap.places = function (group, places, options) {
    options = options || {};
    var cluster = L.markerClusterGroup({
      maxClusterRadius: options.clusterRadius || 36,
      showCoverageOnHover: false,
      animate: false, // groups open at once: nothing moves under the pointer or the reader
      zoomToBoundsOnClick: false,
      spiderfyOnMaxZoom: true,
      spiderfyDistanceMultiplier: 1.8,
      chunkedLoading: places.length > 2000,
      iconCreateFunction: clusterIcon,
    });
    cluster.on("clusterclick", function (event) {
      event.layer.spiderfy();
    });
    cluster.on("spiderfied", function (event) {
      nameOpenedPlaces(event.markers);
      afterStyles(function () {
        // Names placed before the stylesheet arrived were measured unwrapped: separateNames places them again.
        separateNames(event.markers);
        keepClearOfControls(cluster._map, event.markers);
        declutter();
        // Once the page has settled (the group may still have been opening), the names are placed again.
        requestAnimationFrame(function () {
          separateNames(event.markers);
          declutter();
        });
      });
    });
    cluster.on("unspiderfied", function (event) {
      event.markers.forEach(function (marker) {
        if (marker.summitLabel) {
          marker.summitLabel.remove();
          marker.summitLabel = null;
        }
      });
      declutter();
    });
    var markers = {};
    var layers = places.map(function (place) {
      var size = place.size;
      var icon = L.divIcon({
        html:
          '<span class="summit-dot" style="background:' +
          place.color +
          '"></span><span class="summit-sr">' +
          escapeHtml(place.label) +
          "</span>",
        className: "summit-place place-" + place.id + (place.selected ? " is-selected" : ""),
        iconSize: [size, size],
      });
      var marker = L.marker([place.lat, place.lon], {
        icon: icon,
        keyboard: true,
        riseOnHover: true,
        zIndexOffset: place.selected ? 1000 : 0,
      });
      marker.bindTooltip(place.tooltip, { direction: "top", offset: [0, -size / 2] });
      if (place.popup) {
        // A map file carries the story: the place's events, quotes and sources (HTML escaped by the server).
        marker.bindPopup(place.popup, { maxWidth: 380, maxHeight: 360 });
      }
      marker.summitId = place.id;
      marker.summitName = place.name;
      marker.summitSelected = !!place.selected;
      marker.on("click", sendClickSoon);
      markers[place.id] = marker;
      return marker;
    });
    cluster.addLayers(layers);
    group.addLayer(cluster);
    state.markers = markers;
    state.cluster = cluster;
    // The trip's own stops, named like cities but ahead of them (declutter keeps them first).
    state.stopLabels = places
      .filter(function (place) {
        return place.stop;
      })
      .map(function (place) {
        return L.marker([place.lat, place.lon], {
          pane: "summitLabels",
          interactive: false,
          keyboard: false,
          icon: L.divIcon({
            className: "summit-label summit-stop",
            html: "<span>" + escapeHtml(place.name) + "</span>",
            iconSize: null,
          }),
        }).addTo(group);
      });
    // The group may reach the map after this call (streamlit-folium adds it later): declutter then too.
    if (group._map) {
      declutter();
    } else {
      group.once("add", declutter);
    }
    if (state.refocus && markers[state.refocus]) {
      var again = markers[state.refocus];
      state.refocus = null;
      var tries = 0;
      (function focusAgain() {
        // Drawn at once, or once its group has opened (a chosen place's group opens after a pan).
        var element = again.getElement();
        if (element) {
          element.focus({ preventScroll: true });
        } else if (tries++ < 5) {
          setTimeout(focusAgain, 60);
        }
      })();
    }
  };

  /* A map file's title: what it shows, and up to which day. */
  SummitMap.title = function (map, title) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "summit-title");
      L.DomUtil.create("strong", "", box).textContent = title.title;
      L.DomUtil.create("div", "", box).textContent = title.subtitle;
      return box;
    };
    control.addTo(map);
  };

  /* Each train where it was at the end of the chosen day, in the pane under the places: it never
   * takes a click meant for a place. */
  SummitMap.trains = function (group, trains) {
    trains.forEach(function (train) {
      L.marker([train.lat, train.lon], {
        icon: L.divIcon({ html: TRAIN_ICON, iconSize: [24, 24], iconAnchor: [12, 12], className: "summit-train-icon" }),
        interactive: false,
        keyboard: false,
        pane: "summitTrain",
      }).addTo(group);
    });
  };

  /* A chooser for the places outside the view (the Kremlin, far west of the railway): one click
   * brings the place into view and opens it, so every place stays within reach. */
  function offscreenControl(map) {
    if (state.offscreen) {
      return state.offscreen;
    }
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("details", "summit-offscreen leaflet-control");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    map.on("moveend zoomend", function () {
      updateOffscreen(map);
    });
    state.offscreen = control;
    return control;
  }

  function updateOffscreen(map) {
    var control = state.offscreen;
    if (!control) {
      return;
    }
    var box = control.getContainer();
    var bounds = map.getBounds();
    var outside = Object.keys(state.markers)
      .map(function (id) {
        return state.markers[id];
      })
      .filter(function (marker) {
        return !bounds.contains(marker.getLatLng());
      })
      .sort(function (a, b) {
        return a.summitName < b.summitName ? -1 : 1;
      });
    var open = box.open;
    box.innerHTML = "";
    box.style.display = outside.length ? "" : "none";
    if (!outside.length) {
      return;
    }
    var summary = L.DomUtil.create("summary", "", box);
    var labels = state.labels || {};
    var template = outside.length === 1 ? labels.outsideOne : labels.outsideMany;
    summary.textContent = template
      ? template.replace("{n}", String(outside.length))
      : outside.length + (outside.length === 1 ? " place" : " places") + " outside this view";
    var list = L.DomUtil.create("ul", "", box);
    outside.forEach(function (marker) {
      var item = L.DomUtil.create("li", "", list);
      var button = L.DomUtil.create("button", "summit-offscreen-place", item);
      button.type = "button";
      button.textContent = marker.summitName;
      button.setAttribute("data-place", marker.summitId);
      L.DomEvent.on(button, "click", function () {
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 7), { animate: false });
        marker.fire("click", { latlng: marker.getLatLng() }, true);
      });
    });
    box.open = open;
  }

  /* Bring a place into view without changing the zoom: pan to it, open its cluster. */
  function showPlace(map, placeId, centre) {
    var marker = state.markers[placeId];
    var cluster = state.cluster;
    if (!marker || !cluster || !map.hasLayer(cluster)) {
      return;
    }
    var parent = cluster.getVisibleParent(marker) || marker;
    // A page opened on a place centres it (on a phone the map reaches below the screen); later choices pan
    // only when the place is out of view, so the reader's view stays.
    if (centre || !map.getBounds().pad(-0.05).contains(parent.getLatLng())) {
      map.panTo(parent.getLatLng(), { animate: false });
    }
    // After a pan the clusters are redrawn: find the place's group again before opening it.
    setTimeout(function () {
      var group = cluster.getVisibleParent(marker);
      if (group && group !== marker && typeof group.spiderfy === "function") {
        group.spiderfy();
      }
    }, 0);
  }

  /* Fit the view to the chosen trips. A trip across the continent (Moscow to Khasan) fits the widest zoom
   * only without the margins: then the margins go, so as little as possible of its ends is cut off. */
  function fitTrips(map, bounds) {
    var roomy = { paddingTopLeft: [56, 24], paddingBottomRight: [48, 56], maxZoom: 9, animate: false };
    var fits = map.getBoundsZoom(bounds, false, L.point(104, 80)) >= map.getMinZoom();
    map.fitBounds(bounds, fits ? roomy : { padding: [8, 8], maxZoom: 9, animate: false });
  }

  /* After the layers of a rerun are in: re-apply layer choices, fit the view to a new selection of
   * trips (a new day keeps the reader's view), and bring a newly chosen place into view. */
  SummitMap.sync = function (map, options) {
    Promise.resolve().then(function () {
      applyLayerChoices(map);
      offscreenControl(map);
      var firstTime = state.selectionKey === undefined;
      if (options.selectionKey !== state.selectionKey) {
        var bounds = L.latLngBounds(options.bounds || []);
        // New years, new trips: the view fits them, so one trip never sits in a corner of the map.
        if (bounds.isValid()) {
          fitTrips(map, bounds);
        }
        state.selectionKey = options.selectionKey;
      }
      if (options.place && options.place !== state.place) {
        showPlace(map, options.place, firstTime);
      }
      state.place = options.place || null;
      updateOffscreen(map);
      declutter();
    });
  };
})();
