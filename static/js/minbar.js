// Minbar's one script: votes update the score in place. Without it, the vote forms still post
// and come back to the comment.
(function () {
  "use strict";
  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function markVote(comment, value) {
    comment.querySelectorAll(".vote").forEach(function (button) {
      var pressed = Number(button.value) === value || (button.dataset.value && Number(button.dataset.value) === value);
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }
  // Why a vote did not move the score (an account that is not established yet), beside the form.
  function showNote(form, text) {
    var note = form.parentNode.querySelector(".vote-note");
    if (!text) {
      if (note) { note.remove(); }
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "vote-note";
      note.setAttribute("role", "status");
      form.after(note);
    }
    note.textContent = text;
  }
  function applyMyVotes(root) {
    var raw = root.getAttribute("data-my-votes");
    if (!raw) { return; }
    raw.split(",").forEach(function (pair) {
      var parts = pair.split(":");
      var comment = document.getElementById("comment-" + parts[0]);
      if (comment) { markVote(comment, Number(parts[1])); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var discussion = document.getElementById("discussion");
    if (!discussion) { return; }
    applyMyVotes(discussion);
    discussion.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList.contains("vote-form")) { return; }
      var button = event.submitter;
      if (!button) { return; }
      event.preventDefault();
      // Pressing the vote one already gave takes it back.
      var value = button.getAttribute("aria-pressed") === "true" ? 0 : Number(button.value);
      var body = new URLSearchParams();
      body.append("value", String(value));
      fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) },
        body: body,
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        var comment = form.closest(".comment");
        if (!result.ok) {
          window.alert(result.data.message || "");
          return;
        }
        var score = comment.querySelector("[data-score] .score");
        if (score) { score.textContent = result.data.score_display; }
        markVote(comment, result.data.my_vote);
        showNote(form, result.data.note || "");
      }).catch(function () { form.submit(); });
    });
  });
})();
