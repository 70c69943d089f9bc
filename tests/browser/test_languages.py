"""The header's language selector and the translated file picker, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import check_accessibility, sign_in
from tests.conftest import PASSWORD


def test_visitor_switches_language_from_the_header(page: Any, transactional_db: Any) -> None:
    page.goto("/orders/")
    languages = page.get_by_role("button", name="Languages")
    assert languages.get_attribute("aria-expanded") == "false"
    languages.click()
    assert languages.get_attribute("aria-expanded") == "true"
    check_accessibility(page)  # with the list open
    page.locator('button[name="language"][value="es"]').click()
    page.wait_for_load_state()
    assert page.url.endswith("/orders/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("button", name="Idiomas").is_visible()
    assert "Órdenes de Retención y Liberación" in page.locator("h1").inner_text()
    check_accessibility(page)
    assert page.console_errors == []


def test_file_picker_speaks_the_page_language(page: Any, transactional_db: Any, make_user: Any, tmp_path: Path) -> None:
    from section307.accounts import roles

    officer = make_user(roles.PORT_OFFICER)
    sign_in(page, officer.username, PASSWORD)
    page.goto("/port/entries/upload/")
    page.get_by_role("button", name="Languages").click()
    page.locator('button[name="language"][value="fr"]').click()
    page.wait_for_load_state()
    instructions = page.locator(".usa-file-input__instructions")
    assert "Faites glisser le fichier ici ou" in instructions.inner_text()
    assert "choisissez dans un dossier" in instructions.inner_text()
    assert "Drag" not in instructions.inner_text()
    sheet = tmp_path / "entries.csv"
    sheet.write_text("entry_number,line\n")
    page.set_input_files("input[type=file]", str(sheet))
    heading = page.locator(".usa-file-input__preview-heading")
    assert "Fichier sélectionné" in heading.inner_text()
    assert "Changer de fichier" in heading.inner_text()
    status = page.locator(".usa-file-input .usa-sr-only[aria-live]")
    page.wait_for_function(
        "el => el.textContent.includes('Vous avez sélectionné le fichier')", arg=status.element_handle()
    )
    check_accessibility(page)
    assert page.console_errors == []
