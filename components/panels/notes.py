"""What the page says before its sections: a dataset that would not load, a link's warnings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import streamlit as st

from components.dataset.reading import Problem
from components.panels.text import md

MAX_PROBLEMS_SHOWN = 50


def dataset_error(folder: str, problems: Sequence[Problem]) -> None:
    """Explain a dataset that failed validation, listing its problems, instead of a traceback."""
    st.error(f"The dataset in {md(folder)} did not validate, so the map cannot be drawn.", icon=":material/error:")
    shown = "\n".join(str(problem) for problem in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    st.code(shown + (f"\n… and {more} more" if more > 0 else ""), language=None)
    st.caption("Fix these lines (run `./dev validate` to check again), then reload the page.")


def warnings(messages: Iterable[str]) -> None:
    for message in messages:
        st.warning(message, icon=":material/warning:")
