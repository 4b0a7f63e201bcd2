// Progressive enhancement only: every page works without this file.
function setUpDiffForm() {
  // Change the compared versions as soon as a version is picked.
  const diffForm = document.getElementById("diff-form");
  if (!diffForm) return;
  diffForm.querySelectorAll("select").forEach((select) => {
    select.addEventListener("change", () => diffForm.requestSubmit());
  });
}

function seenText(selection, range) {
  // The selection's text without the words only a screen reader hears ("inserted: " in a redline).
  const copy = range.cloneContents();
  const unseen = copy.querySelectorAll(".visually-hidden");
  if (!unseen.length) return selection.toString();
  unseen.forEach((node) => node.replaceWith(" "));
  return copy.textContent;
}

function quotedWords(selection, quotable) {
  // The words a reader sees in the selection: its text with line breaks and runs of spaces as one
  // space, without the square brackets the page draws around a clause that is not agreed yet.
  const range = selection.getRangeAt(0);
  let text = seenText(selection, range);
  const brackets = quotable.querySelectorAll(".bracket");
  const inRange = (bracket) => {
    const mark = bracket.firstChild;
    return mark && range.comparePoint(mark, 0) === 0 && range.comparePoint(mark, mark.length) === 0;
  };
  if (brackets.length && inRange(brackets[0])) text = text.replace(/^\s*\[/, "");
  if (brackets.length && inRange(brackets[brackets.length - 1])) text = text.replace(/\]\s*$/, "");
  return text.replace(/\s+/g, " ").trim();
}

function withinQuotable(range, quotable) {
  // The range held to the quotable text, or null when it takes in words outside it (a heading, a
  // button, the page around). Bare whitespace past its edges (a triple click) does not count.
  const held = range.cloneRange();
  const outside = [];
  if (!quotable.contains(range.startContainer)) {
    const before = document.createRange();
    before.setStart(range.startContainer, range.startOffset);
    before.setEndBefore(quotable);
    outside.push(before);
    held.setStart(quotable, 0);
  }
  if (!quotable.contains(range.endContainer)) {
    const after = document.createRange();
    after.setStartAfter(quotable);
    after.setEnd(range.endContainer, range.endOffset);
    outside.push(after);
    held.setEnd(quotable, quotable.childNodes.length);
  }
  return outside.some((part) => part.toString().trim()) ? null : held;
}

function setUpQuoting() {
  // Selecting words of a clause or a redline anchors the next comment to them. Only a selection
  // that lies within the text is taken: one that runs into the heading or the page around it is
  // refused, with a message, before anything is posted.
  const takeSelection = () => {
    const form = document.getElementById("comment-form");
    const selection = window.getSelection();
    if (!form || !selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const element = (node) => (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    const touched = [element(range.startContainer), element(range.endContainer), element(range.commonAncestorContainer)];
    let quotable = touched.map((node) => node && node.closest("[data-quotable]")).find(Boolean);
    if (!quotable) {
      // A selection from outside across the whole text still runs out of it.
      quotable = document.querySelector("[data-quotable]");
      if (!quotable || !range.intersectsNode(quotable)) return; // words chosen elsewhere: not a quote
    }
    const preview = form.querySelector("[data-quote-preview]");
    const refused = form.querySelector("[data-quote-refused]");
    const input = form.querySelector("input[name=quote]");
    const held = withinQuotable(range, quotable);
    if (held && held.toString() !== range.toString()) {
      selection.removeAllRanges();
      selection.addRange(held);
    }
    const text = held ? quotedWords(selection, quotable) : "";
    if (held && !text) return;
    input.value = text;
    preview.querySelector("[data-quote-text]").textContent = text;
    preview.hidden = !held;
    if (refused) refused.hidden = Boolean(held);
  };
  document.addEventListener("mouseup", takeSelection);
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey || event.key === "Shift") takeSelection();
  });
  document.addEventListener("click", (event) => {
    if (!event.target.matches("[data-quote-clear]")) return;
    const form = event.target.closest("form");
    form.querySelector("input[name=quote]").value = "";
    form.querySelector("[data-quote-preview]").hidden = true;
  });
}

function showKeptQuote(root) {
  // After a refused post, the quote the person chose is still in the form: show it again.
  const form = root.querySelector ? root.querySelector("#comment-form") : null;
  if (!form) return;
  const quote = form.querySelector("input[name=quote]");
  if (quote && quote.value) {
    const preview = form.querySelector("[data-quote-preview]");
    preview.querySelector("[data-quote-text]").textContent = quote.value;
    preview.hidden = false;
  }
}

function wordsPattern(words) {
  // The words as the server finds them in the text (drafting/suggestions.py, locate): spaces and
  // Markdown's emphasis marks between them; marks at a word's ends are emphasis and marks alone no
  // word; whole words ("Act" is not in "Acts", "case" no part of "snake_case_name").
  const parts = words
    .split(/\s+/)
    .map((part) => part.replace(/^[*_`]+|[*_`]+$/g, ""))
    .filter(Boolean);
  if (!parts.length) return null;
  // A punctuation mark may be written escaped in Markdown ("\[" shows "[").
  const mark = (c) => (/[!-/:-@[-`{-~]/.test(c) ? "\\\\?" : "") + c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const escape = (part) => [...part].map(mark).join("");
  const word = /[\p{L}\p{N}]/u; // "_" is an emphasis mark in Markdown, unless inside a word
  const head = word.test(parts[0][0]) ? "(?<![\\p{L}\\p{N}])(?<![\\p{L}\\p{N}]_)" : "";
  const last = parts[parts.length - 1];
  const tail = word.test(last[last.length - 1]) ? "(?![\\p{L}\\p{N}])(?!_[\\p{L}\\p{N}])" : "";
  return new RegExp(head + parts.map(escape).join("[*_`]*\\s[\\s*_`]*") + tail, "gu");
}

// What the page does not show as words (a link's address, an HTML tag), as the server skips it.
const UNSEEN = /\]\([^)]*\)|(?<!\\)<(?![A-Za-z][A-Za-z0-9+.-]*:)[A-Za-z/!?][^>\n]*>/g;

function occurrenceFrom(text, words, from) {
  // Which time the words stand in the text (1 for the first), counting to the first that starts at
  // or after ``from``: the server takes the same one where they stand more than once.
  const pattern = wordsPattern(words);
  if (!pattern) return "";
  const unseen = [...text.matchAll(UNSEEN)].map((m) => [m.index, m.index + m[0].length]);
  let count = 0;
  let match = pattern.exec(text);
  while (match !== null) {
    const end = match.index + match[0].length;
    if (!unseen.some(([start, stop]) => start < end && match.index < stop)) {
      count += 1;
      if (match.index >= from) return String(count);
    }
    match = pattern.exec(text);
  }
  return "";
}

function setUpSuggesting() {
  // Suggesting on the words: a selection in the paragraph as shown (mouse, touch, caret browsing) or
  // in its text in the form (the keyboard: Shift and the arrow keys) fills in the words to change.
  const form = document.querySelector("[data-suggest-form]");
  if (!form) return;
  const quote = form.querySelector("input[name=quote]");
  const occurrence = form.querySelector("input[name=occurrence]");
  const text = form.querySelector("[data-suggest-text]");
  const chosen = document.querySelector("[data-suggest-chosen]");
  const take = (words, which) => {
    if (!words) return;
    quote.value = words;
    occurrence.value = which;
    if (chosen) {
      chosen.querySelector("q").textContent = words;
      chosen.hidden = false;
    }
  };
  const fromText = () => {
    const picked = text.value.slice(text.selectionStart, text.selectionEnd);
    const words = picked.trim();
    const from = text.selectionStart + picked.length - picked.trimStart().length;
    if (words) take(words, occurrenceFrom(text.value, words, from));
  };
  ["select", "keyup", "mouseup", "touchend"].forEach((kind) => text.addEventListener(kind, fromText));
  // The paragraph's text is there to select words in, with the caret too (which a readonly field
  // does not take): it stays as it is.
  text.setAttribute("aria-readonly", "true");
  text.addEventListener("beforeinput", (event) => event.preventDefault());
  quote.addEventListener("input", () => {
    occurrence.value = ""; // typed words: the server finds them, or asks which
  });

  const paragraph = document.querySelector("[data-quotable]");
  if (!paragraph) return;
  const fromParagraph = () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const held = range.intersectsNode(paragraph) ? withinQuotable(range, paragraph) : null;
    if (!held) return; // words chosen elsewhere, or running out of the paragraph
    const words = quotedWords(selection, paragraph);
    const before = document.createRange();
    before.setStart(paragraph, 0);
    before.setEnd(held.startContainer, held.startOffset);
    const seen = (value) => value.replace(/\s+/g, " ").replace(/^ /, "");
    const from = Math.max(0, seen(before.toString()).length - 1);
    take(words, occurrenceFrom(seen(paragraph.textContent), words, from));
  };
  let waiting = null;
  document.addEventListener("selectionchange", () => {
    clearTimeout(waiting);
    waiting = setTimeout(fromParagraph, 150);
  });
}

function setUpPlaceChoice(form) {
  // The position of a new paragraph (the propose page's, the Manage page's) lists the paragraphs of
  // every section; once a section is chosen only its own are offered (the server refuses another
  // section's paragraph either way). A place the server has just refused stays chosen, beside its
  // error, until the section changes.
  const section = form && form.querySelector("select[name$=section]");
  const place = form && form.querySelector("select[name$=after]");
  if (!section || !place) return;
  const offer = (keepChosen) => {
    place.querySelectorAll("optgroup").forEach((group) => {
      let offered = false;
      group.querySelectorAll("option[data-section]").forEach((option) => {
        const shown = !section.value || option.dataset.section === section.value || (keepChosen && option.selected);
        option.disabled = !shown;
        offered = offered || shown;
      });
      group.hidden = !offered;
      group.disabled = !offered;
    });
    const chosen = place.options[place.selectedIndex];
    if (chosen && chosen.disabled) place.value = "";
  };
  offer(true);
  section.addEventListener("change", () => offer(false));
}

document.addEventListener("DOMContentLoaded", () => {
  setUpDiffForm();
  ["propose-form", "clause-form"].forEach((id) => setUpPlaceChoice(document.getElementById(id)));
  setUpQuoting();
  setUpSuggesting();
  showKeptQuote(document);
  document.body.addEventListener("htmx:afterSwap", (event) => showKeptQuote(event.detail.elt.parentNode || document));
});
