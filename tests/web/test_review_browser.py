"""Review before release in Chromium: a team leader double-clicks a name the redactor missed (said
after an emoji, so the browser's UTF-16 offsets and the library's code-point offsets differ),
picks a type in the form beside the selection, and sees the new tag swapped in place; a selection
over a tag is refused in the page; confirming all leaves the transcript ready for release.
No console error or Content-Security-Policy violation on the way."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from callscribe.pipeline.policy import review
from tests.web.browser import browser, live_server, log_in, page  # noqa: F401 (fixtures)
from tests.web.cases_review import (
    MISSED,
    MISSED_TURN,
    originals,
    redacted_document,
    redacted_request,
    redacted_values,
)

WORD_CENTRE = """([segment, word]) => {
  const turn = document.querySelector(`.turn-text[data-segment="${segment}"]`);
  const walker = document.createTreeWalker(turn, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const box = range.getBoundingClientRect();
      return {x: box.left + box.width / 2, y: box.top + box.height / 2};
    }
  }
  return null;
}"""

# a selection made by script, as a keyboard user's would be: from the start of a turn's text
# into its second mark
SELECT_OVER_A_TAG = """(segment) => {
  const turn = document.querySelector(`.turn-text[data-segment="${segment}"]`);
  const mark = turn.querySelectorAll("mark")[1];
  const range = document.createRange();
  range.setStart(turn.firstChild, 0);
  range.setEnd(mark.firstChild, 3);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_a_reviewer_selects_a_missed_name_with_the_mouse_and_redacts_it(page, live_server, engine, staff, settings,  # noqa: F811
                                                                        redactor, tmp_path):
    request_id = redacted_request(engine, settings, redactor)
    text = review.review_view(engine, settings, request_id, "anna").segments[MISSED_TURN].text
    start = text.index(MISSED)
    assert len(text[:start].encode("utf-16-le")) // 2 == start + 1, "an astral character comes before the name"
    hidden = redacted_values(settings)

    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/verzoeken/{request_id}/controle")
    expect(page.get_by_role("heading", name="Transcript controleren vóór vrijgave")).to_be_visible()
    expect(page.get_by_text("2 markeringen nog te controleren")).to_be_visible()
    popover = page.locator("#markeren")
    expect(popover).to_be_hidden()

    turn = page.locator(f'.turn-text[data-segment="{MISSED_TURN}"]')
    turn.scroll_into_view_if_needed()
    centre = page.evaluate(WORD_CENTRE, [MISSED_TURN, MISSED])
    page.mouse.dblclick(centre["x"], centre["y"])
    assert page.evaluate("() => window.getSelection().toString()").strip() == MISSED
    expect(popover).to_be_visible()
    assert (popover.locator("input[name=segment]").input_value(), popover.locator("input[name=start]").input_value(),
            popover.locator("input[name=end]").input_value()) == (str(MISSED_TURN), str(start), str(start + len(MISSED)))
    page.select_option("#markeren-soort", "PERSON")
    popover.get_by_role("button", name="Onleesbaar maken").click()

    added = turn.locator("mark.is-added")
    expect(added).to_have_text(re.compile(r"\[PERSOON-\d+\]"))
    expect(popover).to_be_hidden()
    expect(page.locator(f"#beurt-{MISSED_TURN + 1}")).to_contain_text("De markering is toegevoegd")
    assert MISSED not in turn.inner_text()
    document = redacted_document(settings)
    [entity] = [e for e in document["segments"][MISSED_TURN]["entities"] if e.get("added_by_review")]
    assert originals(settings)[MISSED_TURN][entity["start"]:entity["end"]] == MISSED
    assert added.inner_text() == entity["tag"] and page.locator("#controle").get_attribute("data-revision") == "1"
    page.screenshot(path=str(tmp_path / "controle-toegevoegd.png"), full_page=True)

    # a selection over a tag: the form says why instead of sending it
    page.evaluate(SELECT_OVER_A_TAG, 1)
    expect(popover).to_be_visible()
    expect(popover.locator(".popover-error")).to_have_text(re.compile("De selectie overlapt een markering"))
    expect(popover.get_by_role("button", name="Onleesbaar maken")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    assert page.evaluate("() => window.getSelection().isCollapsed")

    page.get_by_role("button", name="Alles bevestigen").click()
    expect(page.get_by_text("Klaar voor vrijgave.")).to_be_visible()
    expect(popover).to_be_hidden()
    expect(page.get_by_role("link", name="Naar Vrijgeven")).to_have_attribute("href", "/vrijgeven")
    assert redacted_document(settings)["revision"] == 2
    page.screenshot(path=str(tmp_path / "controle-klaar.png"), full_page=True)

    content = page.content()
    assert not [value for value in hidden | {MISSED} if value in content]
    assert (page.errors, page.failed) == ([], [])
