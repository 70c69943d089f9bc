"""IPR detentions through their 133.21 timeline: who sees what and when, disclosures logged, answers, decisions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from section307.core.errors import Conflict, InvalidInput, NotPermitted
from section307.core.lifecycle import TransitionNotAllowed
from section307.core.models import AuditEvent
from section307.ipr import permissions as perms
from section307.ipr import photostandard, selectors, services
from section307.ipr.models import Disclosure, HolderResponse, IprDetention
from section307.ports import law
from section307.ports.models import Notice
from tests.ipr.conftest import IprWorld, add_required_photos, make_entry, photo

pytestmark = pytest.mark.django_db
D = dt.date
NOTICE_ON = D(2026, 3, 3)  # Tuesday: the importer's 7 business days end Thu 12 Mar
REPLY_DUE = D(2026, 3, 12)


def _noticed(w: IprWorld) -> IprDetention:
    return services.ipr_notice_send(actor=w.officer, detention=w.detention, on=NOTICE_ON)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_a_rights_holder_sees_only_detentions_of_its_own_recordations(ipr: IprWorld) -> None:
    other_entry = make_entry("GCB-0002002-9", ipr.importer_org, presented=D(2026, 3, 2))
    other = services.ipr_detain(
        actor=ipr.officer, entry=other_entry, recordations=[ipr.other_recordation], reasons="Copied logo"
    )
    assert list(perms.detentions_visible_to(ipr.holder)) == [ipr.detention]
    assert list(perms.detentions_visible_to(ipr.other_holder)) == [other]
    assert perms.viewer_kind(ipr.other_holder, ipr.detention) is None
    assert perms.viewer_kind(ipr.holder, ipr.detention) == perms.HOLDER
    # The importer of record sees both of its entries' detentions; another importer none; staff all.
    assert set(perms.detentions_visible_to(ipr.importer)) == {ipr.detention, other}
    assert not perms.detentions_visible_to(ipr.other_importer).exists()
    assert perms.detentions_visible_to(ipr.supervisor).count() == 2
    # A holder account removed from the recordation loses sight of it at once.
    ipr.recordation.holders.remove(ipr.holder)
    assert not perms.detentions_visible_to(ipr.holder).exists()


def test_rights_holders_are_outside_accounts_and_the_detention_copies_the_importation_information(
    ipr: IprWorld,
) -> None:
    from section307.accounts.roles import staff_member

    assert not staff_member(ipr.holder) and staff_member(ipr.officer)
    d = IprDetention.objects.get(pk=ipr.detention.pk)
    assert (d.quantity, d.country_of_origin, d.description) == ("960 PCS", "CN", "Backpacks with SUMMIT PEAK marks")


def test_a_holder_of_another_recordation_cannot_answer(ipr: IprWorld) -> None:
    _noticed(ipr)
    with pytest.raises(NotPermitted):
        services.holder_respond(actor=ipr.other_holder, detention=ipr.detention, answer="needs_sample")
    with pytest.raises(NotPermitted):
        services.holder_respond(actor=ipr.importer, detention=ipr.detention, answer="needs_sample")


def test_images_are_redacted_for_the_holder_until_the_importers_window_closes(ipr: IprWorld) -> None:
    images = add_required_photos(ipr)
    unredacted_only = services.image_add(
        actor=ipr.officer, detention=ipr.detention, data=photo(seed=9), shot_type="other", caption="Invoice"
    )
    d = _noticed(ipr)
    view = selectors.holder_view(d, ipr.holder)
    # Before the window closes: only the redacted copies, no codes; the photo without a redacted copy is withheld.
    assert [(i.pk, unredacted) for i, unredacted in view.images] == [(i.pk, False) for i in images]
    assert view.withheld_images == 1 and view.codes is None and not view.unredacted
    assert not selectors.holder_may_see_image(d, images[0], variant="image")
    assert selectors.holder_may_see_image(d, images[0], variant="redacted")
    # The officer cannot open disclosure on the last day of the importer's 7 business days.
    with pytest.raises(Conflict) as refused:
        services.ipr_disclose(actor=ipr.officer, detention=d, now=_at(REPLY_DUE))
    assert refused.value.rule == "19 CFR 133.21(b)"
    d = services.ipr_disclose(actor=ipr.officer, detention=d, now=_at(REPLY_DUE + dt.timedelta(days=1)))
    view = selectors.holder_view(d, ipr.holder)
    assert view.unredacted and {i.pk for i, u in view.images if u} == {*[i.pk for i in images], unredacted_only.pk}
    assert [c["value"] for c in view.codes or []] == ["084562319072", "SP-BP-30L"]
    assert selectors.holder_may_see_image(d, images[0], variant="image")


def test_disclosure_needs_every_required_shot_type(ipr: IprWorld) -> None:
    services.image_add(actor=ipr.officer, detention=ipr.detention, data=photo(), shot_type="product", caption="Bag")
    d = _noticed(ipr)
    with pytest.raises(Conflict) as refused:
        services.ipr_disclose(actor=ipr.officer, detention=d, now=_at(D(2026, 3, 20)))
    assert refused.value.code == "photos_missing" and "Packaging" in refused.value.message


def test_each_disclosure_is_logged_with_an_audit_row(ipr: IprWorld) -> None:
    add_required_photos(ipr)
    d = _noticed(ipr)
    before = AuditEvent.objects.filter(action="ipr.disclosure").count()
    services.holder_views_detention(actor=ipr.holder, detention=d, channel="page")
    assert list(Disclosure.objects.values_list("what", flat=True)) == [Disclosure.What.LIMITED]
    d = services.ipr_disclose(actor=None, detention=d, now=_at(D(2026, 3, 13)))
    services.holder_views_detention(actor=ipr.holder, detention=d, channel="api")
    image = d.images.first()
    assert image is not None
    services.disclosure_log(
        actor=ipr.holder,
        detention=d,
        what=Disclosure.What.UNREDACTED_IMAGE,
        recipient_kind=services.HOLDER,
        channel="download",
        image=image,
    )
    rows = list(Disclosure.objects.order_by("id"))
    assert [r.what for r in rows] == ["limited", "limited", "codes", "unredacted_image"]
    assert all(r.recipient == ipr.holder and r.organization == ipr.owner for r in rows)
    assert rows[-1].image == image and rows[-1].rule == "19 CFR 133.21(b)"
    assert AuditEvent.objects.filter(action="ipr.disclosure").count() == before + 4


def test_notice_goes_to_the_importer_with_its_7_business_day_deadline(ipr: IprWorld) -> None:
    _noticed(ipr)
    notice = Notice.objects.get(organization=ipr.importer_org, kind=Notice.Kind.DETENTION)
    assert "2026-03-12" in notice.body and "TMK 24-00417" in notice.body
    clocks = selectors.ipr_clocks(IprDetention.objects.get(pk=ipr.detention.pk))
    assert clocks[law.IPR_NOTICE].state == "met" and clocks[law.IPR_IMPORTER_REPLY].due == REPLY_DUE
    with pytest.raises(TransitionNotAllowed):
        services.ipr_notice_send(actor=ipr.officer, detention=ipr.detention)


def test_the_importer_may_answer_and_the_daily_job_then_leaves_disclosure_to_the_officer(ipr: IprWorld) -> None:
    add_required_photos(ipr)
    d = _noticed(ipr)
    with pytest.raises(NotPermitted):
        services.ipr_importer_reply(actor=ipr.other_importer, detention=d, text="Genuine")
    services.ipr_importer_reply(actor=ipr.importer, detention=d, text="Invoices from the licensee attached")
    assert services.detentions_tick(today=D(2026, 3, 16)) == {"disclosed": 0, "excluded": 0}
    assert IprDetention.objects.get(pk=d.pk).status == IprDetention.Status.NOTICED


def test_the_daily_job_discloses_after_the_window_and_excludes_after_30_days(ipr: IprWorld) -> None:
    add_required_photos(ipr)
    _noticed(ipr)
    assert services.detentions_tick(today=REPLY_DUE) == {"disclosed": 0, "excluded": 0}
    assert services.detentions_tick(today=REPLY_DUE + dt.timedelta(days=1)) == {"disclosed": 1, "excluded": 0}
    d = IprDetention.objects.get(pk=ipr.detention.pk)
    assert d.status == IprDetention.Status.DISCLOSED
    # Presented 2 Mar: the 30 days end 1 Apr; on 2 Apr the goods are treated as excluded.
    assert services.detentions_tick(today=D(2026, 4, 1))["excluded"] == 0
    assert services.detentions_tick(today=D(2026, 4, 2))["excluded"] == 1
    d.refresh_from_db()
    assert d.status == IprDetention.Status.EXCLUDED
    assert Notice.objects.filter(organization=ipr.importer_org, kind=Notice.Kind.DECISION).exists()


def test_the_holders_answer_is_recorded_and_the_importer_told_the_decision(ipr: IprWorld) -> None:
    add_required_photos(ipr)
    d = _noticed(ipr)
    # Before disclosure the holder may only ask for a sample.
    with pytest.raises(Conflict):
        services.holder_respond(actor=ipr.holder, detention=d, answer="counterfeit")
    services.holder_respond(actor=ipr.holder, detention=d, answer="needs_sample", note="Need stitching")
    d.refresh_from_db()
    assert d.sample_requested_at is not None
    d = services.ipr_disclose(actor=ipr.officer, detention=d, now=_at(D(2026, 3, 13)))
    with pytest.raises(InvalidInput):
        services.sample_provide(actor=ipr.officer, detention=d, bond_reference=" ")
    services.sample_provide(actor=ipr.officer, detention=d, bond_reference="BOND-77", on=D(2026, 3, 16))
    assert Disclosure.objects.filter(what="sample", organization=ipr.owner).exists()
    response = services.holder_respond(actor=ipr.holder, detention=d, answer="counterfeit", note="Not our factory")
    assert response.recordation == ipr.recordation and response.get_answer_display() == "Counterfeit"
    assert list(HolderResponse.objects.filter(detention=d).values_list("answer", flat=True)) == [
        "needs_sample",
        "counterfeit",
    ]
    with pytest.raises(NotPermitted):
        services.ipr_decide(actor=ipr.holder, detention=d, outcome="seize", reason="x")
    d = services.ipr_decide(
        actor=ipr.officer, detention=d, outcome="seize", reason="Counterfeit per the owner", on=D(2026, 3, 18)
    )
    assert d.status == IprDetention.Status.SEIZED and d.seized_on == D(2026, 3, 18)
    decision = Notice.objects.get(organization=ipr.importer_org, kind=Notice.Kind.DECISION)
    assert "Seized" in decision.subject and "Counterfeit per the owner" in decision.body
    # 19 CFR 133.21(e): the seizure information is then due within 30 business days.
    assert selectors.ipr_clocks(d)[law.IPR_SEIZURE_INFO].due == D(2026, 4, 29)
    services.seizure_info_send(actor=ipr.officer, detention=d, on=D(2026, 3, 20))
    view = selectors.holder_view(IprDetention.objects.get(pk=d.pk), ipr.holder)
    assert view.seizure_info is not None and "Everbright Bags Factory" in view.seizure_info["manufacturer"]
    with pytest.raises(Conflict):
        services.seizure_info_send(actor=ipr.officer, detention=d)


def test_seizure_needs_disclosure_first(ipr: IprWorld) -> None:
    d = _noticed(ipr)
    with pytest.raises(TransitionNotAllowed):
        services.ipr_decide(actor=ipr.officer, detention=d, outcome="seize", reason="Looks fake")
    d = services.ipr_decide(actor=ipr.officer, detention=d, outcome="release", reason="Licensee invoices")
    assert d.status == IprDetention.Status.RELEASED


def test_photos_are_checked_against_the_standard_and_stored_encrypted(ipr: IprWorld) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.image_add(actor=ipr.officer, detention=ipr.detention, data=photo(), shot_type="selfie", caption="x")
    assert refused.value.field == "shot_type"
    small = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 120, 120)).save(small, format="PNG")
    with pytest.raises(InvalidInput) as below:
        services.image_add(
            actor=ipr.officer, detention=ipr.detention, data=small.getvalue(), shot_type="product", caption="x"
        )
    assert below.value.code == "below_standard" and "resolution" in below.value.message
    image = services.image_add(
        actor=ipr.officer, detention=ipr.detention, data=photo(), shot_type="labels", caption="Hang tag"
    )
    with image.image.open("rb") as fh:
        stored = fh.read()
    assert not stored.startswith(b"\xff\xd8")  # not a JPEG on disk: encrypted
    assert services.image_bytes(image).startswith(b"\xff\xd8")
    assert [s.key for s in photostandard.missing_shots(["labels"])] == ["product", "packaging"]
    with pytest.raises(NotPermitted):
        services.image_add(actor=ipr.holder, detention=ipr.detention, data=photo(), shot_type="labels", caption="x")


def test_staff_create_rights_holder_accounts_per_recordation(ipr: IprWorld, make_user) -> None:  # type: ignore[no-untyped-def]
    from section307.accounts import roles

    admin = make_user(roles.ADMINISTRATOR)
    user, password = services.rights_holder_account_create(
        actor=admin, recordation=ipr.recordation, username="brand-desk", email="desk@summit.example.com"
    )
    assert user.check_password(password) and user.organization == ipr.owner
    assert perms.is_rights_holder(user) and list(perms.detentions_visible_to(user)) == [ipr.detention]
    with pytest.raises(NotPermitted):
        services.rights_holder_account_create(
            actor=ipr.officer, recordation=ipr.recordation, username="x", email="x@example.com"
        )
    with pytest.raises(Conflict):
        services.rights_holder_account_create(
            actor=admin, recordation=ipr.recordation, username="brand-desk", email="y@example.com"
        )
    with pytest.raises(Conflict):
        services.recordation_create(actor=admin, kind="trademark", number="tmk 24-00417", title="X", owner=ipr.owner)


def test_codes_typed_one_per_line_are_refused_with_their_line() -> None:
    assert services.parse_codes("UPC: 012345678905\n\nsku: SP-1") == [
        {"kind": "upc", "value": "012345678905", "where": ""},
        {"kind": "sku", "value": "SP-1", "where": ""},
    ]
    with pytest.raises(InvalidInput) as refused:
        services.parse_codes("UPC: 012345678905\nbarcode 123")
    assert refused.value.field == "codes" and refused.value.message.startswith("line 2:")
