/* Timestamps for the load run, taken inside the browser so the driver's round trips under load do not
 * count. Runs in a reader's page before the page's own scripts.
 *
 * inputAt: when the reader pressed a key on the day slider or clicked a year (the event's own time).
 * drawnAt: when streamlit-folium put new layers on the map. It assigns the layers' code it draws to
 * __GLOBAL_DATA__.last_feature_group in the map frame and evaluates that code in the same task, so a
 * microtask queued by the assignment runs once the new layers are on the map. watchMap() hooks that
 * assignment; it is called before every action, since the frame's data object is made anew whenever the
 * frame is. Both times come from this page's clock (performance.timeOrigin + a high-resolution time).
 * (An init script does not reach the map frame itself: the frame keeps the window of its first, empty
 * document.)
 */
(function () {
  "use strict";
  if (window !== window.top || window.__loadProbe) {
    return;
  }
  var now = function () {
    return performance.timeOrigin + performance.now();
  };
  var probe = (window.__loadProbe = { inputAt: 0, input: "", drawnAt: 0, draws: 0 });

  document.addEventListener(
    "keydown",
    function (event) {
      if (event.target && event.target.matches && event.target.matches('input[type="range"]')) {
        probe.inputAt = performance.timeOrigin + event.timeStamp;
        probe.input = "slider";
      }
    },
    true
  );
  document.addEventListener(
    "click",
    function (event) {
      if (event.target && event.target.closest && event.target.closest('[data-testid="stButtonGroup"] button')) {
        probe.inputAt = performance.timeOrigin + event.timeStamp;
        probe.input = "year";
      }
    },
    true
  );

  probe.watchMap = function () {
    var frame = document.querySelector('iframe[src*="streamlit_folium"]');
    var frameWindow = frame && frame.contentWindow;
    var data = frameWindow && frameWindow.__GLOBAL_DATA__;
    if (!data) {
      return false;
    }
    if (data.__loadProbe) {
      return true;
    }
    var layers = data.last_feature_group;
    Object.defineProperty(data, "last_feature_group", {
      configurable: true,
      enumerable: true,
      get: function () {
        return layers;
      },
      set: function (value) {
        layers = value;
        frameWindow.queueMicrotask(function () {
          probe.drawnAt = now();
          probe.draws += 1;
        });
      },
    });
    Object.defineProperty(data, "__loadProbe", { value: true });
    return true;
  };
})();
