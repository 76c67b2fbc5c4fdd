"""axe-core (vendored: tests/browser/vendor/axe.min.js, MPL-2.0) on every page type, Arabic and
English, anonymous and signed in, at 1280 and 390 px: zero violations. Screenshots of the main
pages go to artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser.site_pages import anonymous_paths, build_site, signed_in_paths

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SHOTS = {"home", "article", "search", "moderation-queue", "notifications"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


def signed_in_cookies(user, base_url: str) -> list[dict]:
    """The session, and the cookie that tells minbar.js someone is signed in (so the page asks
    for the reader's own controls, which are then checked too)."""
    client = Client()
    client.force_login(user)
    value = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return [
        {"name": django_settings.SESSION_COOKIE_NAME, "value": value, "url": base_url},
        {"name": "minbar_reader", "value": "1", "url": base_url},
    ]


def test_every_page_type_has_no_axe_violations(live_server, browser, shot, settings):
    settings.MINBAR_SERVE_MEDIA = True
    site = build_site()
    visits = [("anonymous", anonymous_paths(site)), ("signed-in", signed_in_paths(site))]
    found = []
    for who, paths in visits:
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="ar", bypass_csp=True
            )
            if who == "signed-in":
                context.add_cookies(signed_in_cookies(site["moderator"], live_server.url))
            page = context.new_page()
            page.set_default_timeout(15_000)
            for edition in ("", "/en"):
                for name, path in paths.items():
                    page.goto(live_server.url + edition + path)
                    if who == "signed-in":
                        page.wait_for_load_state("networkidle")  # the reader's own controls
                    page.add_script_tag(path=str(AXE))
                    for violation in page.evaluate(RUN_AXE):
                        found.append(f"{who} {width_name} {edition or '/'} {name}: {violation}")
                    own_page = name.startswith("moderation") or name == "notifications"
                    if name in SHOTS and (who == "signed-in") == own_page:
                        shot(page, f"{name}-{edition.strip('/') or 'ar'}-{width}")
            context.close()
    assert not found, "\n".join(found)
