// Where the focus goes, for people who use a keyboard or a screen reader. When a form comes back
// refused, the focus moves to what went wrong (the summary of errors that belong to no field, or the
// first field in error), so the error is read out and can be fixed at once. When htmx redraws the part
// of the page that held the focus (a vote, a comment thread), the focus stays on the same control
// instead of falling to the top of the page, where the next Tab would start again from the first link.
// Loaded from a file by base.html: the Content Security Policy allows no inline script.

const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

function firstError(root) {
  // In reading order: a form's error summary (templates/form_fields.html) stands before its fields.
  if (root.matches && root.matches("[data-error-summary], [aria-invalid=true]")) return root;
  return root.querySelector("[data-error-summary], [aria-invalid=true]");
}

function moveFocusTo(element) {
  if (!element.matches(FOCUSABLE)) element.setAttribute("tabindex", "-1");
  element.focus();
}

function focusFirstError(root) {
  const error = firstError(root);
  if (error) moveFocusTo(error);
  return Boolean(error);
}

function shown(element) {
  // Not inside a closed <details>, not display: none.
  return element.getClientRects().length > 0;
}

function describe(element) {
  // How to find the same control in the redrawn part: its id, else its kind, name and value, in its form.
  if (element.id) return { selector: `#${CSS.escape(element.id)}`, text: "" };
  let selector = element.tagName.toLowerCase();
  for (const name of ["name", "value", "type"]) {
    const value = element.getAttribute(name);
    if (value !== null) selector += `[${name}="${CSS.escape(value)}"]`;
  }
  const form = element.closest("form");
  if (form && form.id) selector = `#${CSS.escape(form.id)} ${selector}`;
  return { selector, text: element.textContent.trim() };
}

function sameControl(root, wanted) {
  const candidates = [...root.querySelectorAll(wanted.selector)].filter(shown);
  return candidates.find((c) => c.textContent.trim() === wanted.text) || candidates[0] || null;
}

function submittedByPerson(detail) {
  // A form posted (a vote, a comment), not a poll that refreshes a table on its own.
  const verb = detail.requestConfig && detail.requestConfig.verb;
  return (verb && verb !== "get") || Boolean(detail.elt && detail.elt.closest && detail.elt.closest("form"));
}

let swapping = null; // what the swap under way replaces, and the control that had the focus in it

function beforeSwap(event) {
  const target = event.detail.target;
  const active = document.activeElement;
  swapping = {
    targetId: target && target.id,
    byPerson: submittedByPerson(event.detail),
    focused: target && active && active !== document.body && target.contains(active) ? describe(active) : null,
    firstNew: null,
  };
}

function afterSwap(event) {
  // htmx fires this once per element it put in (out-of-band parts too): finish once, after them all.
  if (!swapping || swapping.firstNew) return;
  swapping.firstNew = event.target;
  setTimeout(settle, 0);
}

function settle() {
  const swap = swapping;
  swapping = null;
  if (!swap) return;
  const root = (swap.targetId && document.getElementById(swap.targetId)) || swap.firstNew;
  if (!root || !root.isConnected) return;
  if (swap.byPerson && focusFirstError(root)) return;
  const active = document.activeElement;
  if (!swap.focused || (active && active !== document.body && active.isConnected)) return; // htmx kept it
  const control = sameControl(root, swap.focused);
  moveFocusTo(control || root);
}

document.addEventListener("DOMContentLoaded", () => {
  focusFirstError(document);
  document.body.addEventListener("htmx:beforeSwap", beforeSwap);
  document.body.addEventListener("htmx:afterSwap", afterSwap);
});
