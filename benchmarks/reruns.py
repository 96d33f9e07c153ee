"""Reruns under AppTest: slider moves and year changes, the app and the bare map alternated."""

from __future__ import annotations

from benchmarks import targets
from benchmarks.common import APP, BARE, Figure, apptest, median_ms, quiet, timed_run
from components import keys
from components.dataset import load_dataset, resolve_data_dir
from components.view import all_years


def measure_reruns(moves: int) -> list[Figure]:
    """Slider moves and year changes, the app and the bare map alternated, median of ``moves`` each."""
    quiet()
    app, bare = apptest(APP), apptest(BARE)
    # Every trip at once (a bare address opens on one summit): the slider counts trip days.
    every = list(all_years(load_dataset(resolve_data_dir())))
    for at in (app, bare):
        at.query_params["years"] = ",".join(map(str, every))
        at.run()
    first, last = int(app.slider(key=keys.DAY).min), int(app.slider(key=keys.DAY).max)
    days = list(range(first, last + 1))
    slider: dict[str, list[float]] = {"app": [], "bare": []}
    years: dict[str, list[float]] = {"app": [], "bare": []}
    # The last two summit years, then every year: the same change for the app and the bare map.
    choices = (every[-2:], every)
    for index in range(moves):
        order = (("app", app), ("bare", bare)) if index % 2 == 0 else (("bare", bare), ("app", app))
        for name, at in order:
            day = days[(index * 3) % len(days)]
            slider[name].append(timed_run(lambda at=at, day=day: at.slider(key=keys.DAY).set_value(day).run()))
    for index in range(max(4, moves // 2)):
        order = (("app", app), ("bare", bare)) if index % 2 == 0 else (("bare", bare), ("app", app))
        for name, at in order:
            chosen = choices[index % 2]
            years[name].append(timed_run(lambda at=at, chosen=chosen: at.pills(key=keys.YEARS).set_value(chosen).run()))
    figures = []
    for label, samples in (("slider move", slider), ("year change", years)):
        app_ms, bare_ms = median_ms(samples["app"]), median_ms(samples["bare"])
        ratio = app_ms / bare_ms
        figures.append(
            Figure(
                "rerun",
                f"rerun after a {label} (AppTest, median of {len(samples['app'])})",
                f"{app_ms:.0f} ms vs bare map {bare_ms:.0f} ms = {ratio:.2f}×",
                f"≤ {targets.RERUN_RATIO}× bare map",
                ratio <= targets.RERUN_RATIO,
            )
        )
    return figures
