/* Review before release: select text in a turn, and a small form offers the types to redact it as.
 *
 * The library counts offsets in code points (Python string indices); the browser's Range counts
 * UTF-16 code units, which differ after an emoji or another character outside the Basic
 * Multilingual Plane. So the offsets sent are code points: the length, by Array.from, of the
 * turn's text before each end of the selection. A turn's text (.turn-text) holds only its
 * redacted text: plain text and one <mark> per redaction, whose text is its tag; badges are CSS.
 *
 * No inline script or style (the Content-Security-Policy allows neither): this file is loaded
 * from /static, listens on the document (so it survives htmx swapping the transcript), and
 * places the form through the CSSOM.
 */
(function () {
  "use strict";

  var WHITESPACE = /\s/u;

  // with this file running, selecting replaces the typed-in fallback forms (review.css hides them)
  document.documentElement.classList.add("review-js");

  function codePoints(text) {
    return Array.from(text).length;
  }

  function form() {
    return document.getElementById("markeren");
  }

  function turnOf(node) {
    var element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest(".turn-text") : null;
  }

  /* Code points of the turn's text before the boundary point (node, offset). */
  function offsetIn(turn, node, offset) {
    var before = document.createRange();
    before.selectNodeContents(turn);
    before.setEnd(node, offset);
    return codePoints(before.toString());
  }

  /* The selection as {turn, start, end, rect} in code points of one turn's redacted text, without
   * the spaces at its ends; {error} when it cannot be redacted; null when nothing is selected. */
  function readSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    var turns = Array.prototype.filter.call(document.querySelectorAll("#controle .turn-text"), function (turn) {
      return range.intersectsNode(turn);
    });
    if (turns.length === 0) {
      return null;
    }
    if (turns.length > 1) {
      return {error: "Selecteer tekst binnen één beurt.", rect: range.getBoundingClientRect()};
    }
    var turn = turns[0];
    var chars = Array.from(turn.textContent);
    // a selection that begins or ends outside the turn (a triple click, say) is cut at its edges
    var start = turn.contains(range.startContainer) ? offsetIn(turn, range.startContainer, range.startOffset) : 0;
    var end = turn.contains(range.endContainer) ? offsetIn(turn, range.endContainer, range.endOffset) : chars.length;
    while (start < end && WHITESPACE.test(chars[start])) {
      start += 1;
    }
    while (end > start && WHITESPACE.test(chars[end - 1])) {
      end -= 1;
    }
    if (start >= end) {
      return null;
    }
    var marks = turn.querySelectorAll("mark[data-start]");
    for (var i = 0; i < marks.length; i += 1) {
      if (start < Number(marks[i].dataset.end) && Number(marks[i].dataset.start) < end) {
        return {error: "De selectie overlapt een markering. Selecteer alleen tekst die nog leesbaar is.",
                rect: range.getBoundingClientRect()};
      }
    }
    return {turn: turn, start: start, end: end, rect: range.getBoundingClientRect()};
  }

  function place(popover, rect) {
    var width = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(rect.left, width - popover.offsetWidth - 8));
    popover.style.top = String(rect.bottom + window.scrollY + 8) + "px";
    popover.style.left = String(left + window.scrollX) + "px";
  }

  function show(found) {
    var popover = form();
    var review = document.getElementById("controle");
    if (!popover || !review) {
      return;
    }
    var error = popover.querySelector(".popover-error");
    var fields = popover.querySelectorAll(".popover-fields, .popover-actions button[type=submit]");
    if (found.error) {
      error.textContent = found.error;
      error.hidden = false;
    } else {
      error.hidden = true;
      error.textContent = "";
      popover.elements.segment.value = found.turn.dataset.segment;
      popover.elements.start.value = String(found.start);
      popover.elements.end.value = String(found.end);
      popover.elements.revision.value = review.dataset.revision || "";
    }
    Array.prototype.forEach.call(fields, function (field) {
      field.hidden = Boolean(found.error);
    });
    popover.hidden = false;
    place(popover, found.rect);
  }

  function hide() {
    var popover = form();
    if (popover && !popover.hidden) {
      popover.hidden = true;
      popover.elements.segment.value = "";
    }
  }

  function update(event) {
    var popover = form();
    if (!popover || (event && popover.contains(event.target))) {
      return;
    }
    // a click on a button, a link or a summary of the page is no selection to redact
    var target = event && event.target && event.target.closest ? event.target : null;
    if (target && (!target.closest("#controle .transcript") || target.closest("button, a, summary, form, input"))) {
      hide();
      return;
    }
    var found = readSelection();
    if (found) {
      show(found);
    } else {
      hide();
    }
  }

  function cancel() {
    hide();
    window.getSelection().removeAllRanges();
  }

  document.addEventListener("mouseup", function (event) {
    // after the browser has settled the selection of this click
    window.setTimeout(function () { update(event); }, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.key === "Escape") {
      cancel();
    } else if (event.shiftKey || event.key === "Shift") {
      update(null);
    }
  });
  document.addEventListener("keydown", function (event) {
    // with the form shown, Tab goes into it (it stands last in the page, beside the selection)
    var popover = form();
    if (event.key === "Tab" && !event.shiftKey && popover && !popover.hidden && !popover.contains(event.target)) {
      var first = popover.querySelector("select:not([hidden]), button:not([hidden])");
      if (first && first.offsetParent !== null) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#markeren [data-action=annuleren]")) {
      cancel();
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    // any change makes a new revision: a selection made before it is not sent afterwards
    if (event.target !== form()) {
      cancel();
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.target === form()) {
      cancel();
    }
  });
  document.addEventListener("htmx:afterSwap", function () {
    // the message of the change (beside its turn, or above the transcript) is read out
    var message = document.querySelector("#controle .message");
    if (message) {
      message.setAttribute("tabindex", "-1");
      message.focus({preventScroll: true});
    }
  });
}());
