// Progressive enhancement only: every page works without this file.
function setUpDiffForm() {
  // Change the compared versions as soon as a version is picked.
  const diffForm = document.getElementById("diff-form");
  if (!diffForm) return;
  diffForm.querySelectorAll("select").forEach((select) => {
    select.addEventListener("change", () => diffForm.requestSubmit());
  });
}

function setUpQuoting() {
  // Selecting words of a clause or a redline anchors the next comment to them.
  document.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    const anchor = selection.anchorNode && selection.anchorNode.parentElement;
    if (!anchor || !anchor.closest("[data-quotable]")) return;
    const text = selection.toString().trim();
    const form = document.getElementById("comment-form");
    if (!text || !form) return;
    form.querySelector("input[name=quote]").value = text;
    const preview = form.querySelector("[data-quote-preview]");
    preview.querySelector("[data-quote-text]").textContent = text;
    preview.hidden = false;
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

document.addEventListener("DOMContentLoaded", () => {
  setUpDiffForm();
  setUpQuoting();
  showKeptQuote(document);
  document.body.addEventListener("htmx:afterSwap", (event) => showKeptQuote(event.detail.elt.parentNode || document));
});
