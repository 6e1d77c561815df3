"""The explorer: a face in the browser on :mod:`simulate.api.explore` (``python run.py explore``).

``app.py`` is the Starlette application (the page, its static files and a JSON API of GETs whose
query string is the page's state), ``words.py`` every word it shows and the Japanese font subset,
``server.py`` serving it with uvicorn; ``templates/`` and ``static/`` hold the page, its script and
style, and the vendored ECharts (Apache-2.0, ``static/vendor/``).
"""
