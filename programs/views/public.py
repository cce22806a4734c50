from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from programs.access import get_public_program
from programs.models import Program
from programs.selectors_compensation import rate_card_summary


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.public()
    return render(request, "programs/program_list.html", {"programs": programs})


@require_GET
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    rate_terms = rate_card_summary(program, today=timezone.localdate())
    return render(request, "programs/program_detail.html", {"program": program, "rate_terms": rate_terms})
