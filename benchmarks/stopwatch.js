/* The benchmark's stopwatch, installed in every frame before the page's own code runs.
 *
 * Timestamps are taken inside the browser, on one clock (performance.timeOrigin + a frame's own
 * performance.now(), comparable between same-origin frames), so no round trip to the test driver
 * is counted: the reader's key press or click (the event's own time stamp), the first animation frame
 * after streamlit-folium takes new layers (they are evaluated by then, about to be painted), the first
 * place marker, and a heading of the page appearing.
 */
(function () {
  "use strict";
  if (window.__stopwatch) {
    return;
  }
  function now() {
    return performance.timeOrigin + performance.now();
  }
  var watch = (window.__stopwatch = {
    document: null,
    listening: false,
    origin: performance.timeOrigin,
    action: null,
    layers: [],
    firstMarker: null,
    heading: null,
  });

  /* A frame's first about:blank document hands its window on to the real one, and this script is not
   * run again: listeners go on each document, again when streamlit-folium starts in the new one. */
  function watchDocument() {
    if (watch.document === document && watch.listening) {
      return;
    }
    watch.document = document;
    watch.listening = true;
    ["keydown", "click"].forEach(function (type) {
      document.addEventListener(
        type,
        function (event) {
          if (event.isTrusted && watch.action === null) {
            watch.action = performance.timeOrigin + event.timeStamp;
          }
        },
        true
      );
    });
    var markers = new MutationObserver(function () {
      if (watch.firstMarker === null && document.querySelector(".summit-place, .summit-cluster")) {
        watch.firstMarker = now();
        markers.disconnect();
      }
    });
    markers.observe(document, { childList: true, subtree: true });
  }
  watchDocument();

  /* streamlit-folium keeps the layers' code it last drew in __GLOBAL_DATA__.last_feature_group and
   * evaluates new code right after storing it: stamp the frame after each change. */
  function watchLayers(data) {
    var code = data.last_feature_group;
    Object.defineProperty(data, "last_feature_group", {
      configurable: true,
      enumerable: true,
      get: function () {
        return code;
      },
      set: function (value) {
        var changed = value !== code;
        code = value;
        if (changed && value) {
          requestAnimationFrame(function () {
            watch.layers.push(now());
          });
        }
      },
    });
  }
  var globalData;
  Object.defineProperty(window, "__GLOBAL_DATA__", {
    configurable: true,
    get: function () {
      return globalData;
    },
    set: function (value) {
      globalData = value;
      watchDocument();
      if (value && typeof value === "object") {
        watchLayers(value);
      }
    },
  });

  /* Arm before an action: stamp the first animation frame once a heading reads exactly `text`. */
  watch.awaitHeading = function (text) {
    watch.heading = null;
    watch.action = null;
    var observer = new MutationObserver(function () {
      var headings = document.querySelectorAll("h1, h2, h3, h4, h5, h6");
      for (var index = 0; index < headings.length; index++) {
        if (headings[index].textContent.trim() === text) {
          observer.disconnect();
          requestAnimationFrame(function () {
            watch.heading = now();
          });
          return;
        }
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  };

  /* The page is settled when no script runs and none is due: a value the map sent (a click, or its
   * request for the rest of the page after a map-first run) has been followed by the end of a run. */
  if (window === window.top) {
    watch.valueSent = 0;
    watch.runEnded = 0;
    window.addEventListener(
      "message",
      function (event) {
        if (event.data && event.data.type === "streamlit:setComponentValue") {
          watch.valueSent = now();
        }
      },
      true
    );
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.target.getAttribute("data-test-script-state") === "notRunning") {
          watch.runEnded = now();
        }
      });
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-test-script-state"] });
  }
  watch.settled = function () {
    var app = document.querySelector('[data-testid="stApp"]');
    return (
      !!app && app.getAttribute("data-test-script-state") === "notRunning" && watch.runEnded >= watch.valueSent
    );
  };

  /* Arm before an action: forget the previous one. */
  watch.reset = function () {
    watch.action = null;
    watch.layers = [];
  };
})();
