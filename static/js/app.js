// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Change the compared versions as soon as a version is picked.
  const diffForm = document.getElementById("diff-form");
  if (diffForm) {
    diffForm.querySelectorAll("select").forEach((select) => {
      select.addEventListener("change", () => diffForm.requestSubmit());
    });
  }
});
