"""One module per map layer, each with a pure ``data(scene)`` for its summit_map.js function."""
