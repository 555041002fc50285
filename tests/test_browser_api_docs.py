"""/api/docs/ in a real browser: Swagger UI renders and the CSP blocks nothing on it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_without_a_content_security_policy_violation(phone_page, live_server):
    violations: list[str] = []
    phone_page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    phone_page.goto(f"{live_server.url}/api/docs/")
    phone_page.wait_for_selector(".swagger-ui .info .title")
    phone_page.wait_for_load_state("networkidle")
    assert violations == []
    assert phone_page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
