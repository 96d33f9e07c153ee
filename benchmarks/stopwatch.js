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

  /* The page is settled when no script runs and none is due: the last run the server began has
   * finished, and it began after the last value the map sent (a click, or its request for the rest of
   * the page after a map-first run, which can leave before the run that drew the map has ended). Runs are read off the websocket: a ForwardMsg's top-level field 4
   * is new_session (a run begins), field 6 script_finished (a run ends). */
  function topLevelFields(bytes) {
    var fields = [];
    var at = 0;
    function varint() {
      var value = 0;
      var shift = 0;
      var byte;
      do {
        byte = bytes[at++];
        value += (byte & 0x7f) * Math.pow(2, shift);
        shift += 7;
      } while (byte & 0x80 && at < bytes.length);
      return value;
    }
    while (at < bytes.length) {
      var tag = varint();
      var wire = tag & 7;
      fields.push(tag >>> 3);
      if (wire === 0) {
        varint();
      } else if (wire === 2) {
        at += varint();
      } else if (wire === 1) {
        at += 8;
      } else if (wire === 5) {
        at += 4;
      } else {
        break;
      }
    }
    return fields;
  }
  if (window === window.top) {
    watch.valueSent = 0;
    watch.runBegan = 0;
    watch.runEnded = 0;
    // A click (its count) or the app's request for the rest of the page (catch_up) makes a run due;
    // the map's first value may or may not rerun the page, so the load is waited for on its own.
    var lastValue;
    window.addEventListener(
      "message",
      function (event) {
        var value = event.data && event.data.type === "streamlit:setComponentValue" && event.data.value;
        if (value && (value.last_object_clicked_count || (value.catch_up !== null && value.catch_up !== undefined))) {
          var text = JSON.stringify(value);
          if (text !== lastValue) {
            lastValue = text;
            watch.valueSent = now();
          }
        }
      },
      true
    );
    var NativeWebSocket = window.WebSocket;
    window.WebSocket = function (url, protocols) {
      var socket = new NativeWebSocket(url, protocols);
      socket.addEventListener("message", function (event) {
        if (!(event.data instanceof ArrayBuffer)) {
          return;
        }
        var fields = topLevelFields(new Uint8Array(event.data));
        if (fields.indexOf(4) >= 0) {
          watch.runBegan = now();
        }
        if (fields.indexOf(6) >= 0) {
          watch.runEnded = now();
        }
      });
      return socket;
    };
    window.WebSocket.prototype = NativeWebSocket.prototype;
    Object.keys(NativeWebSocket).forEach(function (name) {
      window.WebSocket[name] = NativeWebSocket[name];
    });
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
      window.WebSocket[name] = NativeWebSocket[name];
    });
  }
  watch.settled = function () {
    var app = document.querySelector('[data-testid="stApp"]');
    return (
      !!app &&
      app.getAttribute("data-test-script-state") === "notRunning" &&
      watch.runEnded >= watch.runBegan &&
      watch.runBegan >= watch.valueSent
    );
  };

  /* Arm before an action: forget the previous one. */
  watch.reset = function () {
    watch.action = null;
    watch.layers = [];
  };
})();
