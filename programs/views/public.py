from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from programs.access import current_agreement, get_public_program
from programs.models import Application, Enrolment, Program
from programs.selectors.compensation import rate_card_summary


@require_safe
def program_list(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.public()
    return render(request, "programs/program_list.html", {"programs": programs})


@require_safe
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    context = {
        "program": program,
        "agreement": current_agreement(program),
        "cohorts": program.cohorts.all(),
        "rate_terms": rate_card_summary(program, today=timezone.localdate()),
    }
    if request.user.is_authenticated:
        context["my_application"] = Application.objects.filter(program=program, user=request.user).first()
        context["my_enrolment"] = Enrolment.objects.filter(program=program, user=request.user).first()
    return render(request, "programs/program_detail.html", context)
