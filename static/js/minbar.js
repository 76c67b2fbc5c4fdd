// Minbar's one script. Public pages are the same for every reader; this asks /me/state/ what is
// personal (docs/decisions/0009) and applies it: the header's links, the comment form in place
// of the information box, vote buttons with the reader's votes pressed, edit and delete on their
// own comments, their comments awaiting review. Without it every action has a page of its own.
(function () {
  "use strict";
  var csrf = "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function fromHtml(html) {
    // Server-rendered HTML from our own origin (/me/state/), never from readers' text as such.
    var box = document.createElement("template");
    box.innerHTML = html;
    return box.content;
  }

  function showMessages(messages) {
    if (!messages || !messages.length) { return; }
    var main = document.getElementById("main");
    // role="status" may not sit on a list (Nu checker): a box holds it, as in base.html.
    var box = el("div", { "class": "messages", "role": "status" });
    var list = el("ul", {});
    messages.forEach(function (m) {
      list.appendChild(el("li", { "class": "message message-" + m.level }, m.text));
    });
    box.appendChild(list);
    // Beside the comment just written (the address's target), where the reader is looking.
    var target = /^#comment-\d+$/.test(window.location.hash) && document.querySelector(window.location.hash);
    if (target) {
      target.insertBefore(box, target.firstChild);
    } else {
      main.insertBefore(box, main.firstChild);
    }
  }

  function applyHeader(header) {
    var links = document.getElementById("account-links");
    if (!links || !header) { return; }
    links.textContent = "";
    var name = el("a", { "class": "account-nav__name", "href": header.profile });
    name.appendChild(el("bdi", {}, header.name));
    links.appendChild(name);
    header.links.forEach(function (link) {
      links.appendChild(document.createTextNode(" "));
      links.appendChild(el("a", { "href": link.href }, link.label));
    });
    var out = el("form", { "method": "post", "action": header.signOut.href, "class": "inline-form" });
    out.appendChild(el("input", { "type": "hidden", "name": "csrfmiddlewaretoken", "value": csrf }));
    out.appendChild(el("button", { "type": "submit", "class": "link-button" }, header.signOut.label));
    links.appendChild(document.createTextNode(" "));
    links.appendChild(out);
  }

  function markVote(comment, value) {
    comment.querySelectorAll(".vote").forEach(function (button) {
      var pressed = Number(button.dataset.value) === value;
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

  function voteForm(comment, labels) {
    var id = comment.dataset.comment;
    var form = el("form", { "method": "post", "action": comment.querySelector(".comment__more").href.replace(/actions\/$/, "vote/"), "class": "vote-form" });
    form.appendChild(el("input", { "type": "hidden", "name": "csrfmiddlewaretoken", "value": csrf }));
    [["1", "vote vote--up", labels.up, "\u25B2"], ["-1", "vote vote--down", labels.down, "\u25BC"]].forEach(function (b) {
      var button = el("button", { "type": "submit", "name": "value", "value": b[0], "class": b[1], "aria-label": b[2], "aria-pressed": "false", "data-value": b[0] }, b[3]);
      form.appendChild(button);
    });
    // The score sits between the two buttons that change it.
    var score = comment.querySelector(".comment__head > .comment__score");
    if (score) { form.insertBefore(score, form.querySelector(".vote--down")); }
    form.dataset.comment = id;
    return form;
  }

  function ownControls(comment, editable, labels) {
    var more = comment.querySelector(".comment__more");
    var base = more.href.replace(/actions\/$/, "");
    var span = el("span", { "class": "comment__own" });
    if (editable) {
      span.appendChild(el("a", { "href": base + "edit/", "class": "comment__edit" }, labels.edit));
      span.appendChild(el("span", { "class": "comment__edit-left" }, " (" + editable.label + ") "));
    }
    span.appendChild(el("a", { "href": base + "delete/", "class": "comment__delete" }, labels.del));
    return span;
  }

  function insertPending(list, pending, order) {
    pending.forEach(function (p) {
      if (document.getElementById("comment-" + p.id)) { return; }
      var node = fromHtml(p.html);
      var parent = p.parent && document.getElementById("comment-" + p.parent);
      if (parent) {
        // After the parent's own replies: the next item at the parent's depth or shallower.
        var depth = Number((parent.className.match(/depth-(\d)/) || [0, 0])[1]);
        var next = parent.nextElementSibling;
        while (next && Number((next.className.match(/depth-(\d)/) || [0, 0])[1]) > depth) {
          next = next.nextElementSibling;
        }
        list.insertBefore(node, next);
      } else if (order === "newest") {
        list.insertBefore(node, list.firstChild);
      } else {
        list.appendChild(node);
      }
    });
  }

  function notice(text, closed) {
    return el("p", { "class": closed ? "notice notice--closed" : "notice", "role": "status" }, text);
  }

  function applyForm(section, posting) {
    var box = document.getElementById("info-box");
    var template = document.getElementById("comment-form-template");
    if (!box) { return; }
    if (!posting.may_post) {
      box.textContent = "";
      box.appendChild(notice(posting.message, true));
      return;
    }
    if (!template) { return; }
    var holder = el("div", { "class": "comment-form-holder" });
    if (posting.message) { holder.appendChild(notice(posting.message, false)); }
    if (posting.held) { holder.appendChild(notice(posting.held_message, false)); }
    holder.appendChild(template.content.cloneNode(true));
    var form = holder.querySelector("form");
    form.insertBefore(el("input", { "type": "hidden", "name": "csrfmiddlewaretoken", "value": csrf }), form.firstChild);
    box.replaceWith(holder);
  }

  function applyDiscussion(section, state) {
    var labels = section.dataset;
    applyForm(section, state.posting);
    var list = section.querySelector("ol.comments");
    if (list && state.pending) { insertPending(list, state.pending, section.dataset.order); }
    var own = {};
    (state.own || []).forEach(function (id) { own[String(id)] = true; });
    section.querySelectorAll("li.comment").forEach(function (comment) {
      var id = comment.dataset.comment;
      var actions = comment.querySelector(".comment__actions");
      var more = comment.querySelector(".comment__more");
      if (!actions || !more) { return; }
      if (own[id]) {
        actions.insertBefore(ownControls(comment, state.editable[id], { edit: labels.labelEdit, del: labels.labelDelete }), more);
        var report = actions.querySelector(".comment__report");
        if (report) { report.remove(); }
      } else {
        actions.insertBefore(voteForm(comment, { up: labels.labelUp, down: labels.labelDown }), actions.firstChild);
        var value = state.votes[id];
        if (value) { markVote(comment, value); }
      }
      more.hidden = true;
    });
    if (state.staff && state.staff.length) {
      var staff = el("p", { "class": "discussion__staff" });
      state.staff.forEach(function (link) {
        staff.appendChild(el("a", { "href": link.href }, link.label));
        staff.appendChild(document.createTextNode(" "));
      });
      section.insertBefore(staff, section.querySelector("#comments").nextSibling);
    }
  }

  function vote(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("vote-form")) { return; }
    var button = event.submitter;
    if (!button) { return; }
    event.preventDefault();
    // Pressing the vote one already gave takes it back.
    var value = button.getAttribute("aria-pressed") === "true" ? 0 : Number(button.dataset.value);
    var body = new URLSearchParams();
    body.append("value", String(value));
    fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
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
  }

  // --- live discussion (static/js/live.js, decision 0019) -----------------------------------
  // Comments that live.js shows after the state was applied get the same vote buttons (none of
  // them can be this reader's vote yet); without a state (signed out) they keep their links.
  document.addEventListener("minbar:comments-added", function (event) {
    var section = document.getElementById("discussion");
    if (!csrf || !section) { return; }
    var labels = section.dataset;
    event.detail.items.forEach(function (comment) {
      var actions = comment.querySelector(".comment__actions");
      var more = comment.querySelector(".comment__more");
      if (!actions || !more) { return; }
      actions.insertBefore(voteForm(comment, { up: labels.labelUp, down: labels.labelDown }), actions.firstChild);
      more.hidden = true;
    });
  });
  // --- end of live discussion -----------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    var url = document.body.dataset.stateUrl;
    // Nobody signed in here (the server's minbar_reader cookie): the page is already theirs.
    if (!url || !/(^|;\s*)minbar_reader=/.test(document.cookie)) { return; }
    var section = document.getElementById("discussion");
    var query = new URLSearchParams();
    if (section) {
      query.set("article", section.dataset.article);
      query.set("page", section.dataset.page);
      query.set("order", section.dataset.order);
    }
    fetch(url + (section ? "?" + query.toString() : ""), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (state) {
      if (!state) { return; }
      document.body.dataset.signedIn = state.signedIn ? "true" : "false";
      showMessages(state.messages);
      if (!state.signedIn) { return; }
      csrf = state.csrf;
      applyHeader(state.header);
      if (section && state.discussion) {
        applyDiscussion(section, state.discussion);
        section.addEventListener("submit", vote);
      }
      document.dispatchEvent(new CustomEvent("minbar:state", { detail: state }));
    });
  });
})();

// --- Notifications (minbar/notify): the bell and the follow button -----------------------
// The bell and the follow button (minbar/notify), from the reader's state that the code above
// fetched (the "minbar:state" event): public pages carry neither. Without JavaScript the header
// of the reader's own pages links to /notifications/ and the discussion's "Follow" link leads to
// a page with a POST form.
(function () {
  "use strict";

  function bell(notifications) {
    var links = document.getElementById("account-links");
    if (!links || !notifications) { return; }
    var link = document.createElement("a");
    link.className = "bell" + (notifications.unread ? " bell--unread" : "");
    link.href = notifications.href;
    link.textContent = notifications.label;
    if (notifications.unread) {
      var count = document.createElement("span");
      count.className = "bell__count";
      count.textContent = String(notifications.unread);
      count.setAttribute("aria-label", notifications.unreadLabel);
      link.appendChild(document.createTextNode(" "));
      link.appendChild(count);
    }
    var name = links.querySelector(".account-nav__name");
    links.insertBefore(link, name ? name.nextSibling : links.firstChild);
    links.insertBefore(document.createTextNode(" "), link);
  }

  function followButton(link, following, csrf) {
    var button = document.createElement("button");
    button.type = "button";
    button.id = link.id;
    button.className = "button button--secondary follow-button";
    function show(state) {
      button.setAttribute("aria-pressed", state ? "true" : "false");
      button.textContent = state ? link.dataset.labelFollowing : link.dataset.labelFollow;
    }
    show(following);
    button.addEventListener("click", function () {
      var body = new URLSearchParams();
      body.append("follow", button.getAttribute("aria-pressed") === "true" ? "0" : "1");
      button.disabled = true;
      fetch(link.href, {
        method: "POST",
        headers: { "Accept": "application/json", "X-CSRFToken": csrf },
        body: body,
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data) { show(data.following); }
      }).finally(function () { button.disabled = false; });
    });
    link.replaceWith(button);
  }

  document.addEventListener("minbar:state", function (event) {
    var state = event.detail;
    if (!state || !state.signedIn) { return; }
    bell(state.header && state.header.notifications);
    var link = document.getElementById("follow-discussion");
    if (link && state.discussion) { followButton(link, !!state.discussion.following, state.csrf); }
  });
})();
