"""Server-drawn SVG charts: geometry in proportion to the data, accessible names, escaping."""

import re
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from app.core.charts import LABEL_WIDTH, VALUE_WIDTH, Series, stacked_bars, stacked_columns

SERIES = [Series("none", "Belum"), Series("purwa", "Purwa")]


def rects(svg: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', r)) for r in re.findall(r"<rect [^>]*>", svg)]


def test_bars_have_title_desc_and_widths_in_proportion():
    svg = stacked_bars(
        "c", "Kader per tingkat", "Batang per wilayah", [("A", [30, 10]), ("B", [20, 0])], SERIES
    )
    assert 'role="img"' in svg and 'aria-labelledby="c-t c-d"' in svg
    assert '<title id="c-t">Kader per tingkat</title><desc id="c-d">Batang per wilayah</desc>' in svg
    bars = [r for r in rects(svg) if r["y"] != "4"]  # legend swatches sit on y=4
    plot = 640 - LABEL_WIDTH - VALUE_WIDTH
    assert [(r["class"], float(r["width"])) for r in bars] == [
        ("s-none", round(plot * 30 / 40, 1)),
        ("s-purwa", round(plot * 10 / 40, 1)),
        ("s-none", round(plot * 20 / 40, 1)),  # the zero segment is not drawn
    ]
    assert ">40</text>" in svg and ">20</text>" in svg  # totals at the bar ends


def test_labels_are_escaped_and_long_ones_cut_with_the_full_name_as_tooltip():
    long = "Kecamatan <Sangat> Panjang Sekali Namanya"
    svg = stacked_bars("c", "t", "d", [(long, [1, 1]), ("Pendek & Co", [1, 0])], SERIES)
    assert "<Sangat>" not in svg and "&lt;Sangat&gt;" in svg
    assert f"<title>{long.replace('<', '&lt;').replace('>', '&gt;')}</title>" in svg and "…" in svg
    assert "<title>Pendek &amp; Co</title>" not in svg and ">Pendek &amp; Co</text>" in svg


def test_empty_data_still_draws_a_valid_chart():
    for svg in (stacked_bars("c", "t", "d", [], SERIES), stacked_columns("c", "t", "d", [], SERIES)):
        # in its own scroll box, so a phone scrolls the chart instead of shrinking its labels
        assert svg.startswith('<div class="chart-box"><svg') and svg.endswith("</svg></div>")
        ElementTree.fromstring(str(svg))  # well-formed


@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.lists(st.integers(0, 10_000), min_size=2, max_size=2)),
        max_size=40,
    )
)
def test_no_bar_runs_past_the_plot(rows):
    svg = stacked_bars("c", "t", "d", rows, SERIES)
    limit = 640 - VALUE_WIDTH + 0.5  # rounding to 0.1
    for r in rects(svg):
        assert float(r["x"]) + float(r["width"]) <= limit


@given(st.lists(st.lists(st.integers(0, 500), min_size=2, max_size=2), min_size=1, max_size=24))
def test_columns_stay_inside_the_chart(values):
    svg = stacked_columns("m", "t", "d", [(f"{i}", v) for i, v in enumerate(values)], SERIES)
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    for r in rects(svg):
        assert float(r["y"]) >= 0 and float(r["y"]) + float(r["height"]) <= height
