"""Summit Map: the data layer, map builders and page panels behind app.py."""
