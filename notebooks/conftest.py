"""nbval settings for these notebooks (pytest loads this file for anything collected under notebooks/).

Strict nbval compares every output of every cell except the MIME types listed in each notebook
collector's `skip_compare`. nbval's defaults already leave out widget views (random model ids)
and PNG/JPEG pictures. We add one type:

- application/json: `%%animate --json` displays the Animation twice, as an application/json tree
  (for JupyterLab) and as indented text/plain. nbval's sanitize rules apply to strings only, so
  the tree's meta.elapsed_ms (a timing, different every run) cannot be sanitized there. The
  text/plain copy holds the same data and IS compared, with elapsed_ms sanitized
  (tests/nbval_sanitize.cfg).

See https://nbval.readthedocs.io/en/latest/#Skipping-certain-output-types
"""

from __future__ import annotations

from typing import Any

NBVAL_SKIP_COMPARE = ("application/json",)


def pytest_collectstart(collector: Any) -> None:
    if getattr(collector, "fspath", None) is not None and collector.fspath.ext == ".ipynb":
        collector.skip_compare = (*collector.skip_compare, *NBVAL_SKIP_COMPARE)
