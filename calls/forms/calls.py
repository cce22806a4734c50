"""Open-call forms: staff publish the terms; artists enter; jurors score. Every value bounded, every error clear."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import Call
from calls.models.calls import BRIEF_MAX, NOTE_MAX, STATEMENT_MAX
from calls.services.calls import MAX_CRITERIA, MAX_JURORS, MAX_PRIZE_TIERS, CallTerms
from core.money import CurrencyCodeField, decimals_rule, fits_minor_units, in_minor_units
from core.widgets import IsoDateInput, IsoDateTimeInput
from programs import date_bounds

DEFAULT_IP_TERMS = gettext_lazy(
    "You keep every right in your film. Glasshouse claims no rights beyond showing it at this call's screening "
    "and on its results page, credited as you choose."
)


def _lines(text: str, limit: int, what: str) -> list[list[str]]:
    rows = [[part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()]
    if not rows:
        raise ValidationError(_("Write at least one %(what)s.") % {"what": what})
    if len(rows) > limit:
        raise ValidationError(_("At most %(limit)s lines.") % {"limit": limit})
    return rows


def _whole(value: str, line: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValidationError(
            _("Line %(line)s: “%(value)s” is not a whole number.") % {"line": line, "value": value}
        ) from None


class CallForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Call.Kind.choices)
    brief = forms.CharField(label=gettext_lazy("Brief"), widget=forms.Textarea, max_length=BRIEF_MAX)
    cohorts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Eligible cohorts"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every artist of the program may enter."),
    )
    opens_at = forms.DateTimeField(label=gettext_lazy("Entries open"), widget=IsoDateTimeInput)
    closes_at = forms.DateTimeField(label=gettext_lazy("Entries close"), widget=IsoDateTimeInput)
    judging_ends_at = forms.DateTimeField(label=gettext_lazy("Judging ends (scores locked)"), widget=IsoDateTimeInput)
    results_on = forms.DateField(label=gettext_lazy("Results announced on"), widget=IsoDateInput)
    criteria = forms.CharField(
        label=gettext_lazy("Criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=gettext_lazy("One a line: name | weight (1 to 100) | what it means."),
    )
    scale_max = forms.IntegerField(
        label=gettext_lazy("Highest score (scores go from 1)"), min_value=2, max_value=100, initial=10
    )
    tie_break = forms.ChoiceField(label=gettext_lazy("Tie-break rule"), choices=Call.TieBreak.choices)
    prizes = forms.CharField(
        label=gettext_lazy("Prize table"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        help_text=gettext_lazy("One a line: prize | amount | how many, in ranking order."),
    )
    currency = CurrencyCodeField(initial="EUR")
    ip_terms = forms.CharField(
        label=gettext_lazy("Rights, in plain words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=BRIEF_MAX,
        initial=DEFAULT_IP_TERMS,
    )
    jurors = forms.CharField(
        label=gettext_lazy("Jury"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        help_text=gettext_lazy("The email address of each juror's account, one a line: reviewers or named guests."),
    )
    jurors_shown = forms.ChoiceField(label=gettext_lazy("Jurors in the results"), choices=Call.JurorsShown.choices)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["cohorts"].queryset = program.cohorts.all()

    @classmethod
    def initial_from(cls, call: Call, program) -> "CallForm":
        initial = {
            name: getattr(call, name)
            for name in (
                "title",
                "kind",
                "brief",
                "opens_at",
                "closes_at",
                "judging_ends_at",
                "results_on",
                "scale_max",
                "tie_break",
                "currency",
                "ip_terms",
                "jurors_shown",
            )
        }
        initial["cohorts"] = list(call.eligible_cohorts.all())
        initial["criteria"] = "\n".join(f"{c.name} | {c.weight} | {c.description}" for c in call.criteria.all())
        initial["prizes"] = "\n".join(
            f"{p.label} | {in_minor_units(p.amount, call.currency)} | {p.count}" for p in call.prize_tiers.all()
        )
        initial["jurors"] = "\n".join(j.user.email for j in call.jurors.select_related("user"))
        return cls(initial=initial, program=program)

    def clean_criteria(self):
        rows = []
        for line, parts in enumerate(_lines(self.cleaned_data["criteria"], MAX_CRITERIA, _("criterion")), start=1):
            if len(parts) < 2 or not parts[0]:
                raise ValidationError(
                    _("Line %(line)s: write a name and a weight, e.g. “Story | 40”.") % {"line": line}
                )
            weight = _whole(parts[1], line)
            if not 1 <= weight <= 100:
                raise ValidationError(_("Line %(line)s: a weight goes from 1 to 100.") % {"line": line})
            rows.append((parts[0][:120], weight, (parts[2] if len(parts) > 2 else "")[:500]))
        return tuple(rows)

    def clean_prizes(self):
        rows = []
        for line, parts in enumerate(_lines(self.cleaned_data["prizes"], MAX_PRIZE_TIERS, _("prize")), start=1):
            if len(parts) < 2 or not parts[0]:
                raise ValidationError(
                    _("Line %(line)s: write a prize and an amount, e.g. “First prize | 1500 | 1”.") % {"line": line}
                )
            try:
                amount = Decimal(parts[1])
            except InvalidOperation:
                raise ValidationError(
                    _("Line %(line)s: “%(value)s” is not an amount.") % {"line": line, "value": parts[1]}
                ) from None
            if not amount.is_finite() or amount <= 0 or amount > 1_000_000:
                raise ValidationError(
                    _("Line %(line)s: an amount is more than 0 and at most 1,000,000.") % {"line": line}
                )
            count = _whole(parts[2], line) if len(parts) > 2 and parts[2] else 1
            if not 1 <= count <= 50:
                raise ValidationError(_("Line %(line)s: a prize is given from 1 to 50 times.") % {"line": line})
            rows.append((parts[0][:120], amount, count))
        return tuple(rows)

    def clean_jurors(self):
        emails = [line.strip().lower() for line in self.cleaned_data["jurors"].splitlines() if line.strip()]
        if not 1 <= len(emails) <= MAX_JURORS:
            raise ValidationError(_("Name from 1 to %(n)s jurors.") % {"n": MAX_JURORS})
        users = {u.email.lower(): u for u in get_user_model().objects.filter(email__in=emails, deleted_at__isnull=True)}
        unknown = [email for email in emails if email not in users]
        if unknown:
            raise ValidationError(
                _("No account has the address %(emails)s: jurors need an account.") % {"emails": ", ".join(unknown)}
            )
        return tuple(dict.fromkeys(users[email] for email in emails))

    def clean(self):
        data = super().clean()
        bounds = date_bounds.planned_dates(self.program)
        for name in ("opens_at", "closes_at", "judging_ends_at", "results_on"):
            try:
                bounds.check(data.get(name))
            except ValidationError as error:
                self.add_error(name, error)
        opens, closes, ends = data.get("opens_at"), data.get("closes_at"), data.get("judging_ends_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("Entries must close after they open."))
        if closes and ends and ends < closes:
            self.add_error("judging_ends_at", _("Judging must end after entries close."))
        results = data.get("results_on")
        if ends and results and results < timezone.localdate(ends):
            self.add_error("results_on", _("The results cannot be announced before judging ends."))
        currency = data.get("currency")
        for line, (_label, amount, _count) in enumerate(data.get("prizes") or (), start=1):
            if currency and not fits_minor_units(amount, currency):
                self.add_error("prizes", _("Line %(line)s: %(rule)s") % {"line": line, "rule": decimals_rule(currency)})
        return data

    def terms(self) -> CallTerms:
        d = self.cleaned_data
        return CallTerms(
            title=d["title"],
            kind=d["kind"],
            brief=d["brief"],
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            judging_ends_at=d["judging_ends_at"],
            results_on=d["results_on"],
            ip_terms=d["ip_terms"],
            currency=d["currency"],
            scale_max=d["scale_max"],
            tie_break=d["tie_break"],
            jurors_shown=d["jurors_shown"],
            criteria=d["criteria"],
            prizes=d["prizes"],
            jurors=d["jurors"],
            cohorts=tuple(d["cohorts"]),
        )


class EntryForm(forms.Form):
    video = forms.TypedChoiceField(label=gettext_lazy("Your video"), coerce=int)
    statement = forms.CharField(
        label=gettext_lazy("Statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=STATEMENT_MAX,
        help_text=gettext_lazy(
            "What the film is and why it answers the brief. Only the jury reads it before the results."
        ),
    )

    def __init__(self, *args, videos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video"].choices = [(v.pk, v.display_title) for v in videos]


class ConflictForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("What is the conflict?"), max_length=500)


class ScoreForm(forms.Form):
    """One score and note per criterion; the bounds of the scale are checked here and again by the service."""

    def __init__(self, *args, call: Call, criteria, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        existing = existing or {}
        for criterion in self.criteria:
            old = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("%(criterion)s (weight %(weight)s): score from 1 to %(max)s")
                % {"criterion": criterion.name, "weight": criterion.weight, "max": call.scale_max},
                min_value=1,
                max_value=call.scale_max,
                initial=old.value if old else None,
                error_messages={
                    "min_value": _("A score goes from 1 to %(max)s.") % {"max": call.scale_max},
                    "max_value": _("A score goes from 1 to %(max)s.") % {"max": call.scale_max},
                },
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": criterion.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=NOTE_MAX,
                required=False,
                initial=old.note if old else "",
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"note_{c.pk}"]) for c in self.criteria}
