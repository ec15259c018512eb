// Keep Wagtail 8's autosave from racing the editor's own buttons (docs/newsroom.md,
// "Autosave"). Loaded on every editor form by sinmun/newsroom/wagtail_hooks.py.
//
// 1. A button pressed while an autosave is under way waits for it to finish: on a new
//    article the autosave is what creates the row, and a form posted to the "add" URL
//    meanwhile would create a second article.
// 2. After each autosave the form's "loaded revision" becomes the autosaved one, so the
//    server's stale-copy check (ArticleEditView.is_valid) compares against what this
//    browser last wrote, not against the version it first opened.
// 3. Once a button has been pressed, autosave stops: the page is leaving.
const sinmunAutosaveGuard = () => {
  "use strict";
  const form = document.querySelector("form[data-edit-form]");
  if (!form || !(form.dataset.controller || "").includes("w-autosave")) return;

  const WAIT_LIMIT_MS = 15000; // then post anyway; the server still refuses a stale copy
  let pending = 0;
  let waiters = [];

  const settle = () => {
    pending = Math.max(0, pending - 1);
    if (pending === 0) {
      const ready = waiters;
      waiters = [];
      ready.forEach((resume) => resume());
    }
  };

  const setLoaded = (revisionId, createdAt) => {
    if (!revisionId || !createdAt) return;
    const values = { loaded_revision_id: String(revisionId), loaded_revision_created_at: createdAt };
    Object.entries(values).forEach(([name, value]) => {
      let inputs = form.querySelectorAll(`input[name="${name}"]`);
      if (!inputs.length) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        form.prepend(input);
        inputs = [input];
      }
      inputs.forEach((input) => {
        input.value = value;
      });
    });
  };

  const stopAutosave = () => form.setAttribute("data-w-autosave-active-value", "false");

  form.addEventListener("w-autosave:save", (event) => {
    if (!event.defaultPrevented) pending += 1;
  });
  form.addEventListener("w-autosave:success", (event) => {
    const data = (event.detail && (event.detail.data || event.detail.response)) || {};
    setLoaded(data.revision_id, data.revision_created_at);
    settle();
  });
  form.addEventListener("w-autosave:error", settle);

  form.addEventListener(
    "submit",
    (event) => {
      if (form.dataset.sinmunResubmit === "1") return;
      stopAutosave();
      if (pending === 0) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const submitter = event.submitter;
      let done = false;
      const resume = () => {
        if (done) return;
        done = true;
        form.dataset.sinmunResubmit = "1";
        if (submitter && submitter.name) {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = submitter.name;
          input.value = submitter.value;
          form.append(input);
        }
        if (submitter && submitter.hasAttribute("formaction")) {
          form.action = submitter.formAction;
        }
        form.requestSubmit();
      };
      waiters.push(resume);
      window.setTimeout(resume, WAIT_LIMIT_MS);
    },
    true,
  );
};

// Wagtail prints editor scripts in the page head: wait for the form.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", sinmunAutosaveGuard);
} else {
  sinmunAutosaveGuard();
}
