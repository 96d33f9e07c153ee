/* Summit Map's code in the page around the map (not the map frame).
 *
 * Streamlit writes the address with history.replaceState, so Back would leave the app. Each change
 * of the query string becomes a history entry instead; Back and Forward then rerun the app with the
 * older address, which the app reads as the view to restore.
 */
(function () {
  "use strict";
  if (window.SummitPage) {
    return;
  }
  var page = (window.SummitPage = {});
  var replaceState = window.history.replaceState.bind(window.history);
  window.history.replaceState = function (data, title, url) {
    try {
      if (url !== undefined && url !== null) {
        var next = new URL(url, window.location.href);
        if (next.pathname === window.location.pathname && next.search !== window.location.search) {
          return window.history.pushState(data, title, url);
        }
      }
    } catch (error) {
      // fall through to the original behaviour
    }
    return replaceState(data, title, url);
  };

  /* Bring the chosen place's details into view when they are not: below the map on a phone, above the
   * table when a row was picked there. */
  page.revealPlace = function () {
    var anchor = document.getElementById("place-details");
    if (!anchor) {
      return;
    }
    var box = anchor.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight * 0.6) {
      anchor.scrollIntoView({ behavior: "instant", block: "start" });
    }
  };
})();
