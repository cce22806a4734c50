"""An artist's own pages in a program: apply, follow the application, agreement, consent, leave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.client_ip import client_ip, user_agent
from core.errors import DomainError
from core.outcomes import NextStep, refuse, run_and_redirect
from programs.access import current_agreement, get_acceptance_for_user, get_own_enrolment, get_public_program
from programs.agreement_diff import agreement_diff
from programs.forms.enrolment import AgreementAcceptForm, ApplicationForm, ConsentForm, LeaveForm
from programs.models import AgreementAcceptance, Application, ConsentRecord, Enrolment
from programs.models.agreements import content_hash
from programs.models.consent import CONSENT_PURPOSES
from programs.selectors.consent import current_consent
from programs.selectors.enrolment import LEAVABLE
from programs.services import agreements, applications, consent
from programs.services.enrolment import enrolment_leave

MEMBER = {Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED}


def _application_of(user, program) -> Application | None:
    return Application.objects.filter(program=program, user=user).first()


@login_required
@require_safe
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    if _application_of(request.user, program):
        return redirect("programs:application", slug)
    if Enrolment.objects.filter(user=request.user, program=program, status__in=applications.ALREADY_IN).exists():
        messages.info(request, gettext("You are already in %(program)s.") % {"program": program.name})
        return redirect("dashboard")
    if not program.accepts_applications:
        refuse(
            request,
            _("%(program)s is not accepting applications (%(status)s).")
            % {"program": program.name, "status": program.get_status_display()},
            next_step=NextStep(reverse("programs:list"), _("See the programs that take applications")),
        )
        return redirect("programs:detail", slug)
    form = ApplicationForm(program=program)
    return render(request, "programs/apply.html", {"program": program, "form": form})


@login_required
@require_POST
def apply_submit(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    form = ApplicationForm(request.POST, program=program)
    if not form.is_valid():
        return render(request, "programs/apply.html", {"program": program, "form": form}, status=400)
    data = form.cleaned_data
    return run_and_redirect(
        request,
        lambda: applications.application_submit(
            program=program,
            user=request.user,
            portfolio_links=data["portfolio_links"],
            statement=data["statement"],
            answers=form.answers(),
        ),
        success=gettext("Your application to %(program)s was sent. You will hear from the program staff by email.")
        % {"program": program.name},
        to=reverse("programs:application", args=[slug]),
    )


@login_required
@require_safe
def application(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    own = _application_of(request.user, program)
    if own is None:
        return redirect("programs:apply", slug)
    events = own.events.select_related("actor")
    return render(request, "programs/application.html", {"program": program, "application": own, "events": events})


@login_required
@require_POST
def application_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    own = _application_of(request.user, program)
    if own is None:
        raise Http404("You have not applied to this program.")
    return run_and_redirect(
        request,
        lambda: applications.application_withdraw(application=own, actor=request.user),
        success=gettext("Your application was withdrawn."),
        to=reverse("programs:application", args=[slug]),
    )


def _agreement_page(request: HttpRequest, enrolment: Enrolment, form=None, status: int = 200) -> HttpResponse:
    current = current_agreement(enrolment.program)
    if current is None:
        raise Http404("This program has no published agreement.")
    accepted = enrolment.acceptances.select_related("version").first()
    diff = None
    if accepted is not None and accepted.version_id != current.pk:
        diff = agreement_diff(accepted.version.body, current.body)
    form = form or AgreementAcceptForm(initial={"version": current.pk, "content_hash": current.content_hash})
    context = {
        "program": enrolment.program,
        "enrolment": enrolment,
        "current": current,
        "accepted": accepted,
        "accepted_current": accepted is not None and accepted.version_id == current.pk,
        "diff": diff,
        "form": form,
    }
    return render(request, "programs/agreement.html", context, status=status)


@login_required
@require_safe
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    enrolment = get_own_enrolment(request.user, get_public_program(slug), statuses=MEMBER)
    return _agreement_page(request, enrolment)


@login_required
@require_POST
def agreement_accept(request: HttpRequest, slug: str) -> HttpResponse:
    enrolment = get_own_enrolment(request.user, get_public_program(slug), statuses=MEMBER)
    form = AgreementAcceptForm(request.POST)
    if not form.is_valid():
        return _agreement_page(request, enrolment, form=form, status=400)
    try:
        acceptance = agreements.agreement_accept(
            enrolment=enrolment,
            version_id=form.cleaned_data["version"],
            submitted_hash=form.cleaned_data["content_hash"],
            actor=request.user,
            ip_address=client_ip(request),
            user_agent=user_agent(request),
        )
    except DomainError as error:
        refuse(request, error)  # the agreement page it returns to holds the current version and its form
        return redirect("programs:agreement", slug)
    messages.success(
        request, gettext("You accepted version %(version)s of the agreement.") % {"version": acceptance.version.version}
    )
    return redirect("dashboard")


@login_required
@require_safe
def acceptance_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement text exactly as the artist accepted it: the file's SHA-256 is the recorded hash."""
    acceptance: AgreementAcceptance = get_acceptance_for_user(request.user, pk)
    body = acceptance.version.body
    if content_hash(body) != acceptance.content_hash:
        raise RuntimeError(f"Agreement version {acceptance.version_id} no longer matches its accepted hash.")
    response = HttpResponse(body.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, acceptance.version.download_name)
    response["X-Content-SHA256"] = acceptance.content_hash
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def consent_page(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    get_own_enrolment(request.user, program)
    state = current_consent(request.user, program)
    history = ConsentRecord.objects.filter(user=request.user, program=program)
    form = ConsentForm(initial=state.choices())
    context = {"program": program, "form": form, "state": state, "history": history, "purposes": CONSENT_PURPOSES}
    return render(request, "programs/consent.html", context)


@login_required
@require_POST
def consent_update(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    get_own_enrolment(request.user, program)
    form = ConsentForm(request.POST)
    form.is_valid()  # three optional checkboxes: always valid; an unticked box is False
    try:
        record = consent.consent_set(
            user=request.user, program=program, ip_address=client_ip(request), **form.cleaned_data
        )
    except DomainError as error:
        refuse(request, error)  # the consent page it returns to holds the form
    else:
        messages.success(
            request,
            (
                gettext("Saved as version %(version)s of your choices.") % {"version": record.version}
                if record
                else gettext("No change.")
            ),
        )
    return redirect("programs:consent", slug)


@login_required
@require_safe
def consent_receipt(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    get_own_enrolment(request.user, program)
    history = ConsentRecord.objects.filter(user=request.user, program=program)
    state = current_consent(request.user, program)
    rows = [(label, meaning, state.choices()[key]) for key, (label, meaning) in CONSENT_PURPOSES.items()]
    context = {"program": program, "artist": request.user, "state": state, "history": history, "rows": rows}
    response = render(request, "programs/consent_receipt.txt", context, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{program.slug}-consent-receipt.txt")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    enrolment = get_own_enrolment(request.user, get_public_program(slug), statuses=LEAVABLE)
    initial = {"reason": "I do not accept the new version of the agreement."} if request.GET.get("agreement") else {}
    return render(request, "programs/leave.html", {"enrolment": enrolment, "form": LeaveForm(initial=initial)})


@login_required
@require_POST
def leave_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    enrolment = get_own_enrolment(request.user, get_public_program(slug), statuses=LEAVABLE)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        return render(request, "programs/leave.html", {"enrolment": enrolment, "form": form}, status=400)
    return run_and_redirect(
        request,
        lambda: enrolment_leave(enrolment=enrolment, actor=request.user, reason=form.cleaned_data["reason"]),
        success=gettext("You left %(program)s. Everything you are owed will still be paid.")
        % {"program": enrolment.program.name},
        to=reverse("dashboard"),
    )
