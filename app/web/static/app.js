/* Progressive enhancement: autosave questionnaire pages as answers change.
   Without JavaScript every page move still saves; this only saves sooner. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".autosave-status");
  var timer = null;
  var busy = false;
  var again = false;
  // The messages come translated from the page (data-saving, data-saved, data-failed, …).
  var t = {saving: status ? status.getAttribute("data-saving") : "",
           saved: status ? status.getAttribute("data-saved") : "",
           failed: status ? status.getAttribute("data-failed") : "",
           offline: status ? status.getAttribute("data-offline") : "",
           retry: status ? status.getAttribute("data-retry") : ""};

  function say(text) { if (status) { status.textContent = text; } }

  function updateVersions(versions) {
    Object.keys(versions || {}).forEach(function (qid) {
      var field = form.querySelector('input[type="hidden"][name="' + CSS.escape(qid + "-version") + '"]');
      if (field) { field.value = String(versions[qid]); }
    });
  }

  // The progress line, the bar and the step list follow what autosave has just stored.
  function updateProgress(progress) {
    if (!progress) { return; }
    var text = document.getElementById("progress-text");
    if (text && progress.text) { text.textContent = progress.text; }
    var bar = form.querySelector("progress");
    if (bar && typeof progress.answered === "number") {
      bar.value = progress.answered;
      bar.textContent = progress.answered + "/" + bar.max;
    }
    Object.keys(progress.steps || {}).forEach(function (id) {
      var step = form.querySelector('.step[data-step="' + CSS.escape(id) + '"]');
      if (!step) { return; }
      var s = progress.steps[id];
      step.className = "step step-" + s.status;
      var statusText = step.querySelector(".step-status-text");
      if (statusText) { statusText.textContent = s.text; }
      var count = step.querySelector(".step-count");
      if (count && count.getAttribute("data-format")) {
        count.textContent = count.getAttribute("data-format").replace("{n}", s.answered).replace("{total}", s.total);
      }
    });
  }

  function save() {
    if (busy) { again = true; return; }
    busy = true;
    say(t.saving);
    var data = new FormData(form);
    data.delete("go");
    fetch(form.getAttribute("data-autosave-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-CSRFToken": data.get("csrf_token") || "", "Accept": "application/json"}
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) { updateVersions(body.versions); updateProgress(body.progress); say(t.saved); }
        // Signed out or a token of an earlier session: the server's message says what to do.
        else if (response.status === 401 || response.status === 400) { say(body.error || t.retry); }
        else { say(t.failed + (body.error || t.retry)); }
      });
    }).catch(function () {
      say(t.failed + t.offline);
    }).then(function () {
      busy = false;
      if (again) { again = false; save(); }
    });
  }

  function later(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }

  // A target below the chosen level is allowed; a note (not an error) says so as it happens.
  function checkTarget(fieldset) {
    var note = fieldset.querySelector(".target-note");
    var select = fieldset.querySelector("select");
    if (!note || !select) { return; }
    var chosen = fieldset.querySelector('input[type="radio"]:checked');
    var level = chosen ? parseInt(chosen.value, 10) : NaN;
    var target = parseInt(select.value, 10);
    note.hidden = !(level > 0 && target > 0 && target < level);
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target && event.target.closest ? event.target.closest("fieldset.question") : null;
    if (fieldset) { checkTarget(fieldset); }
    later(300);
  });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.tagName === "TEXTAREA") { later(1500); }
  });
})();

/* Progressive enhancement: a copy button for read-only links (the link stays selectable). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) { return; }
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied"); }
      }, function () { field.select(); });
    });
  });
}());
