// The bell and the follow button (minbar/notify), from the reader's state that minbar.js
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
