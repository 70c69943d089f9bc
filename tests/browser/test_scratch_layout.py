from __future__ import annotations

import time
from typing import Any

from tests.browser.conftest import sign_in


def test_scratch(chromium: Any, live_server: Any, transactional_db: Any) -> None:
    from section307.demo.world import build_demo_world

    t = time.time()
    world = build_demo_world(seed=3)
    print("world", time.time() - t)
    from section307.allegations.models import Allegation
    from section307.cases.models import Case
    from section307.ports.models import Detention, Entry

    case = Case.objects.order_by("pk").first()
    print([c.reference for c in Case.objects.all()], Allegation.objects.count(), Entry.objects.count(), Detention.objects.count())
    user, pw = world.users["analyst"]
    for js in (True, False):
        ctx = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=js)
        page = ctx.new_page()
        sign_in(page, "analyst", pw)
        page.goto(f"/cases/{case.reference}/")
        h = page.evaluate("document.documentElement.scrollHeight")
        print("js", js, "height", h, page.url)
        page.screenshot(path=f"/tmp/lay/case_{js}.png", full_page=True)
        ctx.close()
