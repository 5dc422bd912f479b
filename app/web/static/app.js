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
        if (response.ok) { updateVersions(body.versions); say(t.saved); }
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

  form.addEventListener("change", function () { later(300); });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.tagName === "TEXTAREA") { later(1500); }
  });
})();
