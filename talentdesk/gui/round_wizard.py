"""The allocation round, step by step: freeze → seed source → run → review → (re-check →
public notice →) release.

Each step is a button the round's state enables (the core decides); what has been done shows
with its evidence: the hash of the frozen list, the seed's source and when it was recorded, the
seed, the result's digest. Each step is an action declared once in ``housing.actions`` (the
command line's too): its form is built from the declaration, it runs as one unit of work, and
its report shows after the commit. Review shows the confirmation that release needs; releasing
asks for it, naming how many offers and notices it will issue, and writes the letters into a
folder the manager chooses. Under rules that set a public notice the re-check and the notice come
between (the release is refused, with the day it may be made, until the notice has ended); under
rules that want the results reviewed by another manager, the manager who ran the round is asked
for a second manager, who signs in for the review alone and is recorded as its reviewer.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.action_form import ask_values, run_action
from talentdesk.gui.housing_tips import REPORT_TIP, STEP_TIPS, VERIFY_TIP
from talentdesk.gui.operations import fault_text
from talentdesk.gui.pdf_preview import PdfPreviewDialog
from talentdesk.gui.progress import DialogProgress
from talentdesk.gui.sign_in import SecondPersonDialog
from talentdesk.housing import rounds as round_service
from talentdesk.housing.actions import ACTIONS
from talentdesk.housing.catalogue import load_rules
from talentdesk.housing.report_output import write_allocation_report
from talentdesk.housing.results import OUTCOMES, RoundSummary, round_summary
from talentdesk.housing.states import STATE_LABELS, RoundState, Step, load_round, wizard_steps
from talentdesk.i18n import N_, _, current_language, format_number
from talentdesk.people.permissions import Permission, can, role_label
from talentdesk.work import Desk


def summary_text(summary: RoundSummary) -> str:
    """The round's evidence and outcome in a few lines (the report has it all)."""
    lines = [
        _("Rules {version}; {applications} applications, {units} units").format(
            version=summary.rules_version,
            applications=format_number(summary.applications),
            units=format_number(summary.units),
        )
    ]
    if summary.frozen_hash:
        lines.append(_("Frozen list SHA-256: {digest}").format(digest=summary.frozen_hash))
    if summary.seed_source:
        lines.append(_("Seed source: {source}").format(source=summary.seed_source))
    if summary.seed_commitment:
        lines.append(_("Seed commitment: {digest}").format(digest=summary.seed_commitment))
    if summary.seed is not None:
        lines.append(_("Seed: {seed}").format(seed=summary.seed))
    if summary.result_digest:
        lines.append(_("Result digest: {digest}").format(digest=summary.result_digest))
    if summary.by_outcome:
        counts = ", ".join(
            f"{_(OUTCOMES.get(code, code))} {format_number(n)}"
            for code, n in sorted(summary.by_outcome.items())
        )
        lines.append(counts)
    lines += fill_lines(summary)
    return "\n".join(lines)


def fill_lines(summary: RoundSummary) -> list[str]:
    """Per kind of home and share: units allocated of those there were, and where the last
    went (position, tier, points), or how many were left: what the reviewer checks."""
    if not summary.fills:
        return []
    language = current_language()
    shares = summary.rules.share_names() if summary.rules is not None else {}
    lines = [_("Per kind of home and share:")]
    for fill in summary.fills:
        kind = summary.kinds.get(fill["type"])
        share = shares.get(fill["share"])
        head = "{kind} · {share}".format(
            kind=kind.name.text(language) if kind else fill["type"],
            share=share.text(language) if share else fill["share"],
        )
        allocated = _("{allocated} of {units} allocated").format(
            allocated=format_number(fill["allocated"]), units=format_number(fill["units"])
        )
        if fill.get("filled_at"):
            where = _("the last to position {position} (tier {tier}, {points} points)").format(
                position=format_number(fill["filled_at"]),
                tier=fill.get("cutoff_tier") or "-",
                points=fill.get("cutoff_points") if fill.get("cutoff_points") is not None else "-",
            )
        else:
            where = _("{count} left unfilled").format(
                count=format_number(fill["units"] - fill["allocated"])
            )
        lines.append(f"  {head}: {allocated}; {where}")
    return lines


class RoundWizard(QWidget):
    """The steps of one round; ``changed`` after every step written."""

    changed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.round_name: str | None = None
        # reports shown in the preview; the folder goes when the program ends
        self._folder = tempfile.TemporaryDirectory(
            prefix="talentdesk-round-", ignore_cleanup_errors=True
        )
        self.steps: list[Step] = []
        self._summary: RoundSummary | None = None
        #: what releasing the round must be confirmed with, shown once it is reviewed
        self.confirmation = ""
        #: the signed-in manager ran the round and its rules want another to review it
        self.another_reviewer = False
        #: the last day of the round's public notice, once it is noticed
        self.notice_ends: date | None = None
        #: the dialog a second manager signs in at, while it is open
        self.second_person: SecondPersonDialog | None = None
        self.step_buttons: dict[str, QPushButton] = {}
        self.step_marks: dict[str, QLabel] = {}

        self.state_label = QLabel(self)
        self.state_label.setObjectName("roundState")
        font = self.state_label.font()
        font.setBold(True)
        self.state_label.setFont(font)
        self.grid = QGridLayout()
        self.summary = QPlainTextEdit(self)
        self.summary.setObjectName("roundSummary")
        self.summary.setReadOnly(True)
        self.report_button = QPushButton(self)
        self.report_button.clicked.connect(self.show_report)
        self.verify_button = QPushButton(self)
        self.verify_button.clicked.connect(self.verify)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("roundMessage")

        tools = QHBoxLayout()
        tools.addWidget(self.report_button)
        tools.addWidget(self.verify_button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addLayout(self.grid)
        layout.addWidget(self.message)
        layout.addWidget(self.summary, 1)
        layout.addLayout(tools)
        self._actions: dict[str, Callable[[], None]] = {
            "freeze": self.freeze,
            "seed": self.record_seed_source,
            "run": self.run,
            "review": self.review,
            "recheck": self.recheck,
            "notice": self.notice,
            "release": self.release,
        }

    # --- reading ----------------------------------------------------------------------------

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk
        self.round_name = None

    def set_round(self, name: str | None) -> None:
        self.round_name = name
        self.reload()

    def reload(self) -> None:
        self._summary = None
        self.confirmation = ""
        self.another_reviewer = False
        self.notice_ends = None
        if self.round_name is None:
            self.steps = []
            self.state_label.setText(_("No allocation round yet"))
            self.summary.clear()
            self._build_steps()
            return
        name = self.round_name

        def read(session: Any, actor: Any) -> RoundSummary:
            round_ = load_round(session, name)
            notice = load_rules(session, round_.rules_version).terms.notice_days > 0
            self.steps = wizard_steps(round_, notice=notice)
            self._state = round_.state
            reviewed = round_.state in (RoundState.REVIEWED, RoundState.NOTICED)
            self.confirmation = round_service.confirmation_token(round_) if reviewed else ""
            self.notice_ends = round_.notice_ends if notice else None
            self.another_reviewer = round_.state == RoundState.RUN and (
                round_service.needs_another_reviewer(session, actor, name)
            )
            return round_summary(session, actor, name)

        summary = self._summary = self._desk.read(read)
        self.state_label.setText(
            _("Round {name}: {state}").format(
                name=self.round_name, state=_(STATE_LABELS[self._state])
            )
        )
        text = summary_text(summary)
        if self.confirmation:
            text += "\n" + _("Confirmation for the release: {token}").format(
                token=self.confirmation
            )
        self.summary.setPlainText(text)
        self._build_steps()

    def _build_steps(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().hide()  # out of sight now: deleteLater waits for the event loop
                item.widget().deleteLater()
        self.step_buttons.clear()
        self.step_marks.clear()
        for row, step in enumerate(self.steps):
            mark = QLabel("✓" if step.done else ("→" if step.allowed else "·"), self)
            mark.setFixedWidth(mark.fontMetrics().horizontalAdvance("→→"))
            button = QPushButton(_(step.label), self)
            button.setObjectName(f"step_{step.code}")
            button.setEnabled(step.allowed)
            button.setToolTip(_(STEP_TIPS.get(step.code, step.label)))
            # a lambda: clicked(bool) must not reach the steps' optional arguments
            button.clicked.connect(lambda _checked=False, code=step.code: self._actions[code]())
            self.grid.addWidget(mark, row, 0)
            self.grid.addWidget(button, row, 1)
            self.step_buttons[step.code] = button
            self.step_marks[step.code] = mark
        self.grid.setColumnStretch(2, 1)
        has_result = self.round_name is not None and any(
            s.code == "run" and s.done for s in self.steps
        )
        self.report_button.setEnabled(self.round_name is not None)
        self.verify_button.setEnabled(has_result)

    def retranslate(self) -> None:
        self.report_button.setText(_("Allocation report…"))
        self.verify_button.setText(_("Verify: run again and compare"))
        self.report_button.setToolTip(_(REPORT_TIP))
        self.verify_button.setToolTip(_(VERIFY_TIP))
        self.reload()

    # --- steps ------------------------------------------------------------------------------

    def _act(
        self,
        name: str,
        values: dict[str, Any] | None = None,
        *,
        title: str = "",
        intro: str = "",
        defaults: dict[str, Any] | None = None,
        hints: dict[str, str] | None = None,
        progress: DialogProgress | None = None,
        desk: Desk | None = None,
    ) -> list[str] | None:
        """Run the round's declared action (``housing.actions``): ask for what it needs unless
        ``values`` are given, write it as one unit of work (as the desk's user, or ``desk``'s),
        show its report after the commit. The report lines, or None when cancelled or refused
        (then nothing is written)."""
        round_name = self.round_name
        assert round_name is not None
        spec = ACTIONS[name]
        given = {"round": round_name}
        if values is None:
            values = ask_values(
                self, spec, given, title=title, intro=intro, defaults=defaults, hints=hints
            )
            if values is None:
                return None
        extra = {"progress": progress} if progress is not None else None
        try:
            lines = run_action(
                self, desk or self._desk, spec, given, values, message=self.message, extra=extra
            )
        finally:
            if progress is not None:
                progress.close()
        if lines is not None:
            self.reload()
            self.changed.emit()
        return lines

    def freeze(self) -> None:
        self._act("freeze")

    def record_seed_source(self, source: str | None = None, commitment: str = "") -> None:
        self._act(
            "seed",
            None if source is None else {"source": source, "commitment": commitment},
            title=_("Record where the seed comes from"),
            intro=_(
                "Before the run, say where the seed will come from, e.g. a notary's draw "
                "on a named day, and give the SHA-256 of the seed (kept sealed until the "
                "run). Both are recorded now, for good, and printed on the report."
            ),
        )

    def run(self, seed: str | None = None) -> None:
        source = self._summary.seed_source if self._summary is not None else ""
        self._act(
            "allocate",
            None if seed is None else {"seed": seed},
            title=_("Run the allocation with the seed"),
            intro=_("The seed, as drawn from the recorded source: {source}").format(
                source=source or "—"
            ),
            progress=DialogProgress(_("Allocating…"), _("Allocation round"), self),
        )

    def review(self) -> None:
        """Mark the results reviewed, and show the manager the confirmation release needs. When
        the signed-in manager ran the round and its rules want another to review it, a second
        manager signs in here for the review, which is recorded (and audited) as theirs."""
        reviewer = ""
        if not self.another_reviewer:
            done = self._act("review", {})
        else:
            dialog = self.second_person = self._second_manager()
            try:
                if dialog.exec() != QDialog.DialogCode.Accepted or dialog.desk is None:
                    return
                desk = dialog.desk
                reviewer = desk.signed_in.display_name if desk.signed_in else ""
                done = self._act("review", {}, desk=desk.on(self._desk.today()))
            finally:
                dialog.end()
                self.second_person = None
        if done is not None:  # read again: the confirmation is known now
            text = _(
                "Round {name} reviewed. To release it, confirm with {token} "
                "(the round's summary shows it too)."
            ).format(name=self.round_name, token=self.confirmation)
            if reviewer:
                text += " " + _("Reviewed by {user}, signed in for the review.").format(
                    user=reviewer
                )
            self.message.setText(text)

    def _second_manager(self) -> SecondPersonDialog:
        """The dialog a second manager signs in at to review the round."""
        name = self.round_name
        assert name is not None

        def check(desk: Desk) -> str | None:
            def facts(session: Any, user: Any) -> tuple[bool, bool, str, str]:
                return (
                    can(user, Permission.RUN_HOUSING_ROUNDS),
                    round_service.needs_another_reviewer(session, user, name),
                    user.display_name,
                    role_label(user.role),
                )

            allowed, ran_it, shown, role = desk.read(facts)
            if not allowed:
                return _(
                    "{user} ({role}) may not review allocation rounds: a manager who may "
                    "run them signs in"
                ).format(user=shown, role=role)
            if ran_it:
                return _("{user} ran round {name}: another manager reviews it").format(
                    user=shown, name=name
                )
            return None

        return SecondPersonDialog(
            self._desk.database,
            _("A second manager reviews round {name}").format(name=name),
            _(
                "You ran round {name}, and its rules want its results reviewed by another "
                "manager (separation of duties). The second manager signs in here, for this "
                "review only: it is recorded as theirs."
            ).format(name=name),
            check,
            self,
            ok_text=_("Sign in and review"),
        )

    def recheck(self) -> None:
        """Re-check the facts that change; the report names those withdrawn, and why."""
        self._act("recheck", {})

    def notice(self) -> None:
        """Publish the provisional list for the rules' notice period."""
        self._act("notice", {})

    def release(self, folder: Path | None = None, *, confirmed: bool = False) -> None:
        """Make the offers and write the letters. The form asks for the folder and for the
        confirmation shown after review; ``confirmed`` with a ``folder`` gives both (the
        confirmation as shown) without asking."""
        name = self.round_name
        assert name is not None
        count = self._summary.applications if self._summary is not None else 0
        values = None
        if confirmed and folder is not None:
            values = {"confirm": self.confirmation, "letters": folder}
        intro = _(
            "Release round {name}? {count} applicants get an offer or a notice, each "
            "a bilingual letter. The results cannot be changed afterwards."
        ).format(name=name, count=format_number(count))
        if self.notice_ends is not None:
            intro += "\n\n" + _(
                "The public notice runs until {date}: the release may be made from the next day."
            ).format(date=self.notice_ends.isoformat())
        intro += "\n\n" + _("Type the confirmation shown after the review: {token}").format(
            token=self.confirmation or "—"
        )
        self._act(
            "release",
            values,
            title=_("Release: offers and letters"),
            intro=intro,
            defaults={"letters": folder} if folder is not None else None,
            hints={"confirm": N_("as shown after the review")},
            progress=DialogProgress(_("Writing letters…"), _("Release: offers and letters"), self),
        )

    def verify(self) -> None:
        name = self.round_name
        assert name is not None
        try:
            check = self._desk.read(
                lambda session, actor: round_service.verify_round(session, actor, name)
            )
        except Exception as exc:  # a refusal, a database fault: one line
            self.message.setText(fault_text(exc, self._desk.database))
            return
        if check.same:
            text = _("Run again with the same seed: the same result, digest {digest}").format(
                digest=check.digest
            )
        else:
            text = _(
                "Run again with the same seed: a DIFFERENT result ({stored} stored, {now} now)"
            ).format(stored=check.stored_digest, now=check.digest)
        self.message.setText(text)

    def show_report(self) -> None:
        """The allocation report in the preview, to print or save."""
        name = self.round_name
        assert name is not None
        path = Path(self._folder.name) / f"allocation-{name}.pdf"
        try:
            self._desk.read(
                lambda session, actor: write_allocation_report(session, actor, name, path)
            )
        except Exception as exc:  # a refusal, the disk: one line
            self.message.setText(fault_text(exc, self._desk.database))
            return
        self.report_preview = PdfPreviewDialog(path, _("Allocation report"), self)
        self.report_preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_preview.open()
