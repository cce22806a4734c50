"""Forms of the enrolment pages. They validate input; services decide what is allowed."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from programs.models import Application, Cohort, Program, ScreeningQuestion
from programs.models.consent import CONSENT_PURPOSES

MAX_PORTFOLIO_LINKS = 5


class CohortChoiceField(forms.ModelChoiceField):
    """Cohorts of one program: the program's name would only repeat itself."""

    def label_from_instance(self, obj: Cohort) -> str:
        if not obj.starts_on:
            return obj.name
        return gettext("%(cohort)s (starts %(day)s)") % {"cohort": obj.name, "day": date_format(obj.starts_on)}


_url = URLValidator(schemes=["http", "https"])


class ApplicationForm(forms.Form):
    portfolio_links = forms.CharField(
        label=_("Portfolio links"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(
            _("One web address per line, up to {count}: your site, reel, or profiles."), count=MAX_PORTFOLIO_LINKS
        ),
    )
    statement = forms.CharField(
        label=_("Why do you want to join?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=50,
        max_length=3000,
        help_text=_("A short statement, 50 to 3,000 characters: your practice and what you would test."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(program.screening_questions.all())
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = self._field_for(question)

    @staticmethod
    def _field_for(question: ScreeningQuestion) -> forms.Field:
        common = {"label": question.prompt, "help_text": question.help_text, "required": question.required}
        if question.kind == ScreeningQuestion.Kind.CHOICE:
            return forms.ChoiceField(choices=[(o, o) for o in question.options], widget=forms.RadioSelect, **common)
        if question.kind == ScreeningQuestion.Kind.URL:
            return forms.URLField(max_length=500, **common)
        return forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), **common)

    def clean_portfolio_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["portfolio_links"].splitlines() if line.strip()]
        if not links:
            raise ValidationError(gettext("Add at least one link to your work."))
        if len(links) > MAX_PORTFOLIO_LINKS:
            raise ValidationError(
                gettext("Add at most %(most)s links; you added %(count)s.")
                % {"most": MAX_PORTFOLIO_LINKS, "count": len(links)}
            )
        for link in links:
            try:
                _url(link)
            except ValidationError:
                raise ValidationError(
                    gettext("“%(link)s” is not a web address starting with https:// or http://.") % {"link": link}
                ) from None
        return links

    def answers(self) -> list[dict]:
        """Each answer with a snapshot of its question, as asked today."""
        return [
            {"question": q.pk, "prompt": q.prompt, "kind": q.kind, "answer": self.cleaned_data.get(f"q_{q.pk}", "")}
            for q in self.questions
        ]


class DecisionForm(forms.Form):
    DECISIONS = [
        (Application.Status.ACCEPTED, _("Accept into a cohort (sends an invitation)")),
        (Application.Status.WAITLISTED, pgettext_lazy("verb", "Waitlist")),
        (Application.Status.DECLINED, pgettext_lazy("verb", "Decline")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect)
    cohort = CohortChoiceField(queryset=Cohort.objects.none(), required=False, help_text=_("Needed to accept."))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Shown to the applicant. Required to decline."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = program.cohorts.all()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == Application.Status.ACCEPTED and not data.get("cohort"):
            self.add_error("cohort", gettext("Choose the cohort to accept the applicant into."))
        if data.get("decision") == Application.Status.DECLINED and not data.get("reason", "").strip():
            self.add_error("reason", gettext("Give the reason for declining; the applicant will read it."))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(help_text=_("They accept by signing in with this address (or signing up with it)."))
    cohort = CohortChoiceField(queryset=Cohort.objects.none())
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000, help_text=_("Included in the email.")
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = program.cohorts.all()


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AgreementAcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label=_("I have read this version of the participation agreement and I accept it."),
        error_messages={"required": _("Tick the box to confirm that you accept the agreement.")},
    )


class ConsentForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for purpose, (label, help_text) in CONSENT_PURPOSES.items():
            self.fields[purpose] = forms.BooleanField(label=label, help_text=help_text, required=False)


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you leaving? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Recorded with your leaving, visible to you and the program staff."),
    )
    confirm = forms.BooleanField(
        label=_("I want to leave this program."),
        error_messages={"required": _("Tick the box to confirm that you want to leave.")},
    )


class ApplicationFilterForm(forms.Form):
    """The filters of the staff application list; every field optional."""

    program = forms.ModelChoiceField(queryset=Program.objects.none(), required=False, empty_label=_("All my programs"))
    status = forms.ChoiceField(choices=[("", _("Any status")), *Application.Status.choices], required=False)
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), required=False, empty_label=_("Any cohort"))
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name, email or statement."))

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["cohort"].queryset = Cohort.objects.filter(program__in=programs).select_related("program")

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["program"]:
            queryset = queryset.filter(program=data["program"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["cohort"]:
            queryset = queryset.filter(cohort=data["cohort"])
        if data["q"]:
            q = data["q"]
            queryset = queryset.filter(
                models.Q(user__email__icontains=q)
                | models.Q(user__display_name__icontains=q)
                | models.Q(statement__icontains=q)
            )
        return queryset
