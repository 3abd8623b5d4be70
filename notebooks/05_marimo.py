import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo

    import stickanim_jupyter

    return mo, stickanim_jupyter


@app.cell
def _(mo):
    mo.md("""
    # stickanim in marimo

    The player is an [anywidget](https://anywidget.dev), so marimo shows it through
    `mo.ui.anywidget(widget)`, as it would any other anywidget. There is no `%%animate` magic
    here: `stickanim_jupyter.animate(story)` returns the same `AnimationWidget` the magic shows.

    This notebook uses `local`, the planner built into the package: **no API key and no
    network**. Edit the story, then click outside the box (or press Ctrl+Enter): marimo runs
    the cells that read it again, and a new animation replaces the old one.
    """)
    return


@app.cell
def _(mo):
    story = mo.ui.text_area(
        value="two people walk toward each other and shake hands",
        label="Story (English or Chinese)",
        full_width=True,
    )
    story
    return (story,)


@app.cell
def _(mo, stickanim_jupyter, story):
    def player_for(text: str):
        """The player for `text`, or a callout saying why there is none."""
        if not text.strip():
            return mo.callout(mo.md("Write a story in the box above."), kind="info")
        try:
            widget = stickanim_jupyter.animate(text, provider="local", seed=1)
        except stickanim_jupyter.StickanimError as err:
            return mo.callout(mo.md(f"**{type(err).__name__}**: {err}"), kind="danger")
        return mo.ui.anywidget(widget)

    player = player_for(story.value)
    player
    return


@app.cell
def _(mo):
    mo.md("""
    ### What you are looking at

    The title is at the top, the legend under the picture tells the characters apart by
    color. Click the picture (or focus it and press the space bar) to play or pause; `←` `→`
    step one frame. The JSON inspector at the bottom shows the Script the planner wrote and
    the compiled Animation.

    The provider dropdown lists the providers of your `config.yml`. Choosing an LLM provider
    there needs its API key and network access; the README explains the configuration. To
    use one from code instead, pass `provider="..."` to `stickanim_jupyter.animate`.

    Open this notebook with `marimo edit notebooks/05_marimo.py`, or as a read-only app with
    `marimo run notebooks/05_marimo.py`.
    """)
    return


if __name__ == "__main__":
    app.run()
