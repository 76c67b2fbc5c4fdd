// The live discussion (docs/decisions/0019): an open article page asks, every few seconds, what
// changed since the version it shows. The question's address is the same for every page at that
// version, so nginx's one-second copy answers nearly all of them. Edits, deletions and scores
// change in place; new comments wait behind "N new comments: show them" until the reader asks.
// Kept apart from minbar.js (the reader's state): this file reads nothing about the reader.
(function () {
  "use strict";
  var section = document.getElementById("discussion");
  if (!section || !section.dataset.live || !window.fetch || !window.JSON) { return; }
  var data = section.dataset;
  var labels = JSON.parse(data.liveLabels);
  var language = document.documentElement.lang || "ar";
  var version = data.liveVersion;
  var interval = Number(data.livePoll) || 1500;
  var delay = interval;
  var timer = null;
  var asking = false;
  var stopped = false;
  var waiting = {};  // id -> true: new comments the reader has not asked to see yet
  var bar = null;

  function formatNumber(n) {
    // The page's digits (Arabic-Indic or Latin, as the server writes them), no grouping.
    return window.Intl ? new Intl.NumberFormat(language + "-u-nu-" + data.liveNumbers, { useGrouping: false }).format(n) : String(n);
  }

  function plural(n) {
    var rule = window.Intl && Intl.PluralRules ? new Intl.PluralRules(language).select(n) : (n === 1 ? "one" : "other");
    var text = labels["new"][rule] || labels["new"].other;
    return text.replace("%(count)s", formatNumber(n));
  }

  function byId(id) { return document.getElementById("comment-" + id); }

  function depthOf(item) { return Number((item.className.match(/depth-(\d)/) || [0, 0])[1]); }

  // The items after `item` that are its replies (the list is flat, nested by depth-N classes).
  function repliesOf(item) {
    var found = [];
    var depth = depthOf(item);
    var next = item.nextElementSibling;
    while (next && depthOf(next) > depth) {
      found.push(next);
      next = next.nextElementSibling;
    }
    return found;
  }

  function fromHtml(html) {
    // Server-rendered HTML from our own origin (comment text was sanitised when it was written).
    var box = document.createElement("template");
    box.innerHTML = html;
    return box;
  }

  function schedule(ms) {
    window.clearTimeout(timer);
    timer = null;
    if (stopped || document.hidden) { return; }
    timer = window.setTimeout(ask, ms);
  }

  function ask() {
    timer = null;
    if (asking || stopped || document.hidden) { return; }
    asking = true;
    // No cookies: the answer is the same for every reader, and a cookie only gets in the way.
    fetch(data.live + "?since=" + encodeURIComponent(version), {
      credentials: "omit",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 404 || response.status === 400) { stopped = true; }
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (changes) {
      asking = false;
      delay = interval;
      apply(changes);
      // A little spread (±10 %), so that pages opened together do not ask together for ever.
      schedule(interval * (0.9 + Math.random() * 0.2));
    }).catch(function () {
      asking = false;
      delay = Math.min(delay * 2, 120000);  // back off: 4 s, 8 s, … two minutes at most
      schedule(delay);
    });
  }

  function update(state) {
    var item = byId(state.id);
    if (!item || item.classList.contains("comment--deleted")) { return; }
    var score = item.querySelector("[data-score] .score");
    if (score && score.textContent !== state.score) { score.textContent = state.score; }
    var body = item.querySelector(".comment__body");
    if (body) {
      var fresh = fromHtml(state.html);
      if (fresh.innerHTML !== body.innerHTML) { body.innerHTML = fresh.innerHTML; }
    }
    if (state.edited && !item.querySelector(".comment__edited")) {
      var author = item.querySelector(".comment__author");
      if (author) {
        var mark = document.createElement("span");
        mark.className = "comment__edited";
        mark.textContent = "(" + labels.edited + ")";
        author.after(document.createTextNode(" "), mark);
      }
    }
  }

  function remove(gone) {
    delete waiting[gone.id];
    var item = byId(gone.id);
    if (!item) { return; }
    var replies = repliesOf(item);
    if (gone.deleted && replies.length) {
      // As the page shows a deleted comment that has replies: a placeholder keeps the thread.
      item.classList.add("comment--deleted");
      item.querySelectorAll(".comment__score, .comment__author, .comment__staff, .comment__featured, .comment__edited, .comment__body, .comment__actions, .comment__pending, .vote-form")
        .forEach(function (node) { node.remove(); });
      var note = document.createElement("p");
      note.className = "comment__placeholder";
      note.textContent = labels.deleted;
      item.appendChild(note);
      return;
    }
    // Hidden by a moderator: the thread under it goes with it, as on the page.
    if (!gone.deleted) { replies.forEach(function (reply) { reply.remove(); }); }
    item.remove();
  }

  // Thread numbers as a fresh page gives them: each thread on this page in order, from the
  // page's first number (a comment awaiting review, which only its author sees, has none).
  function renumber() {
    var list = section.querySelector("ol.comments");
    if (!list) { return; }
    var next = Number(list.dataset.firstNumber) || 1;
    Array.prototype.forEach.call(list.children, function (item) {
      if (depthOf(item) !== 0 || item.classList.contains("comment--pending")) { return; }
      var head = item.querySelector(".comment__head");
      if (!head) { return; }
      var mark = head.querySelector(".comment__number");
      if (!mark) {
        mark = document.createElement("span");
        mark.className = "comment__number";
        head.insertBefore(document.createTextNode(" "), head.firstChild);
        head.insertBefore(mark, head.firstChild);
      }
      var text = formatNumber(next) + ".";
      if (mark.textContent !== text) { mark.textContent = text; }
      next += 1;
    });
  }

  function showBar(text, onClick) {
    if (!bar) {
      bar = document.createElement("div");
      bar.className = "live-bar";
      bar.setAttribute("role", "status");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button live-bar__show";
      bar.appendChild(button);
      var list = section.querySelector("ol.comments");
      list.parentNode.insertBefore(bar, list);
    }
    var show = bar.querySelector("button");
    show.textContent = text;
    show.onclick = onClick;
    bar.hidden = false;
  }

  function refreshBar() {
    var count = Object.keys(waiting).length;
    if (!count) {
      if (bar) { bar.hidden = true; }
      return;
    }
    showBar(plural(count), showNew);
  }

  function apply(changes) {
    if (String(changes.version) === version) { return; }
    version = String(changes.version);
    if (changes.reset) {
      // Too far behind to say what changed (or the counter started again): reload on request.
      showBar(labels.reset, function () { window.location.reload(); });
      stopped = true;
      return;
    }
    (changes.removed || []).forEach(remove);
    if ((changes.removed || []).length) { renumber(); }
    (changes.updated || []).forEach(update);
    (changes["new"] || []).forEach(function (id) {
      if (!byId(id)) { waiting[id] = true; }
    });
    var heading = document.getElementById("comments");
    if (heading && changes.heading) { heading.textContent = changes.heading; }
    // The article's own counter, at its head (and the words a screen reader says before it).
    document.querySelectorAll(".article__counter").forEach(function (counter) {
      var number = counter.querySelector("[data-comment-count]");
      var words = counter.querySelector(".visually-hidden");
      if (number && changes.count_shown) { number.textContent = changes.count_shown; }
      if (words) { words.textContent = changes.heading + ": "; }
    });
    refreshBar();
  }

  // Where a new comment goes on this page: under its parent, or (top-level) at the top of the
  // first page of "newest", at the end of the last page of "oldest" or "best". False when it
  // belongs on another page.
  function place(list, comment, node) {
    if (comment.parent) {
      var parent = byId(comment.parent);
      if (!parent) { return false; }
      var replies = repliesOf(parent);
      var after = replies.length ? replies[replies.length - 1] : parent;
      list.insertBefore(node, after.nextElementSibling);
      return true;
    }
    var first = !section.querySelector('.pagination [rel="prev"]');
    var last = !section.querySelector('.pagination [rel="next"]');
    if (data.order === "newest" && first) {
      list.insertBefore(node, list.firstChild);
      return true;
    }
    if (data.order !== "newest" && last) {
      list.appendChild(node);
      return true;
    }
    return false;
  }

  function showNew() {
    var ids = Object.keys(waiting).map(Number).sort(function (a, b) { return a - b; });
    if (!ids.length) { return; }
    fetch(data.liveComments + "?ids=" + ids.join(",") + "&v=" + encodeURIComponent(version), {
      credentials: "omit",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      var list = section.querySelector("ol.comments");
      var elsewhere = null;
      var shown = [];
      answer.comments.forEach(function (comment) {
        delete waiting[comment.id];
        if (byId(comment.id)) { return; }
        var box = fromHtml(comment.html);
        var item = box.content.firstElementChild;
        if (place(list, comment, box.content)) {
          item.classList.add("comment--new");
          shown.push(item);
        } else if (!elsewhere) {
          elsewhere = item.querySelector(".comment__time");
        }
      });
      ids.forEach(function (id) { delete waiting[id]; });  // gone since: nothing to show
      refreshBar();
      if (elsewhere) {
        // It belongs on another page of the discussion: go there (its permanent address).
        window.location.href = elsewhere.href;
        return;
      }
      if (shown.length) {
        renumber();
        shown[0].setAttribute("tabindex", "-1");
        shown[0].focus();
        document.dispatchEvent(new CustomEvent("minbar:comments-added", { detail: { items: shown } }));
      }
    }).catch(function () {
      window.location.reload();
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = null;
    } else {
      schedule(0);  // back in view: ask at once, then as usual
    }
  });
  schedule(interval);
})();
