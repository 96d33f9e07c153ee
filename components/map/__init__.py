"""The map: its base (rendered once), its layers (a registry of pure builders, each drawn by one function of
``client/summit_map.js``), the viewport math, and the one module that touches streamlit-folium's internals."""
