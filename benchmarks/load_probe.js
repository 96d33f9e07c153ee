/* Timestamps for the load run, taken inside the browser so the driver's round trips under load do not
 * count. Runs in a reader's page before the page's own scripts.
 *
 * inputAt: when the reader pressed a key on the day slider or clicked a year (the event's own time).
 * drawnAt: when streamlit-folium put new layers on the map. It assigns the layers' code it draws to
 * __GLOBAL_DATA__.last_feature_group in the map frame and evaluates that code in the same task, so a
 * microtask queued by the assignment runs once the new layers are on the map. watchMap() hooks that
 * assignment; it is called before every action, since the frame's data object is made anew whenever the
 * frame is. Both times come from this page's clock (performance.timeOrigin + a high-resolution time).
 *
 * sent / received: when the page sent a message on Streamlit's websocket and when one arrived (the
 * last few hundred), to split a latency into the page sending its request, the server answering and
 * the page drawing. An arrival is stamped when the page's main thread takes the message, so a busy page
 * delays it too.
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
  var probe = (window.__loadProbe = { inputAt: 0, input: "", drawnAt: 0, draws: 0, sent: [], received: [] });
  var remember = function (list, time) {
    list.push(time);
    if (list.length > 400) {
      list.splice(0, list.length - 400);
    }
  };

  var NativeSocket = window.WebSocket;
  var WatchedSocket = function (url, protocols) {
    var socket = protocols === undefined ? new NativeSocket(url) : new NativeSocket(url, protocols);
    if (String(url).indexOf("_stcore/stream") !== -1) {
      var send = socket.send;
      socket.send = function (data) {
        remember(probe.sent, now());
        return send.call(socket, data);
      };
      socket.addEventListener("message", function (event) {
        remember(probe.received, performance.timeOrigin + event.timeStamp);
      });
    }
    return socket;
  };
  WatchedSocket.prototype = NativeSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    WatchedSocket[name] = NativeSocket[name];
  });
  window.WebSocket = WatchedSocket;

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
