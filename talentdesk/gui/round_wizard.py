"""The allocation round, step by step: freeze → seed source → run → review → release.

Each step is a button the round's state enables (the core decides); what has been done shows
with its evidence: the hash of the frozen list, the seed's source and when it was recorded, the
seed, the result's digest. Releasing asks for confirmation, naming how many offers and notices
it will issue, and writes the letters into a folder the manager chooses.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.operations import fault_text, run_write
from talentdesk.gui.pdf_preview import PdfPreviewDialog
from talentdesk.gui.progress import DialogProgress
from talentdesk.housing import rounds as round_service
from talentdesk.housing.letters import release_letters
from talentdesk.housing.report_output import write_allocation_report
from talentdesk.housing.results import OUTCOMES, RoundSummary, round_summary
from talentdesk.housing.states import STATE_LABELS, Step, load_round, wizard_steps
from talentdesk.i18n import _, format_number
from talentdesk.work import Desk, Work


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
    return "\n".join(lines)


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
        if self.round_name is None:
            self.steps = []
            self.state_label.setText(_("No allocation round yet"))
            self.summary.clear()
            self._build_steps()
            return
        name = self.round_name

        def read(session: Any, actor: Any) -> RoundSummary:
            round_ = load_round(session, name)
            self.steps = wizard_steps(round_)
            self._state = round_.state
            return round_summary(session, actor, name)

        summary = self._desk.read(read)
        self.state_label.setText(
            _("Round {name}: {state}").format(
                name=self.round_name, state=_(STATE_LABELS[self._state])
            )
        )
        self.summary.setPlainText(summary_text(summary))
        self._build_steps()

    def _build_steps(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.step_buttons.clear()
        self.step_marks.clear()
        for row, step in enumerate(self.steps):
            mark = QLabel("✓" if step.done else ("→" if step.allowed else "·"), self)
            mark.setFixedWidth(mark.fontMetrics().horizontalAdvance("→→"))
            button = QPushButton(_(step.label), self)
            button.setObjectName(f"step_{step.code}")
            button.setEnabled(step.allowed)
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
        self.reload()

    # --- steps ------------------------------------------------------------------------------

    def _run(self, work: Work[object]) -> object | None:
        """Run one step as one unit of work; a refusal is shown, nothing is written."""
        outcome = run_write(self, self._desk, work, error_label=self.message)
        if not outcome.ok:
            return None
        result = outcome.value
        self.message.clear()
        self.message.show()
        self.reload()
        self.changed.emit()
        return result

    def freeze(self) -> None:
        name = self.round_name
        assert name is not None
        self._run(lambda s, u: round_service.freeze_round(s, u, name))

    def record_seed_source(self, source: str | None = None) -> None:
        name = self.round_name
        assert name is not None
        if source is None:
            source, ok = QInputDialog.getText(
                self,
                _("Record where the seed comes from"),
                _(
                    "Before the run, say where the seed will come from, e.g. a notary's draw "
                    "on a named day. It is recorded now and printed on the report."
                ),
                QLineEdit.EchoMode.Normal,
            )
            if not ok:
                return
        self._run(lambda s, u: round_service.record_seed_source(s, u, name, source))

    def run(self, seed: str | None = None) -> None:
        name = self.round_name
        assert name is not None
        if seed is None:
            seed, ok = QInputDialog.getText(
                self,
                _("Run the allocation with the seed"),
                _("The seed, as drawn from the recorded source:"),
                QLineEdit.EchoMode.Normal,
            )
            if not ok:
                return
        progress = DialogProgress(_("Allocating…"), _("Allocation round"), self)
        try:
            self._run(lambda s, u: round_service.run_round(s, u, name, seed, progress=progress))
        finally:
            progress.close()

    def review(self) -> None:
        name = self.round_name
        assert name is not None
        self._run(lambda s, u: round_service.review_round(s, u, name))

    def release(self, folder: Path | None = None, *, confirmed: bool = False) -> None:
        name = self.round_name
        assert name is not None
        summary, token = self._desk.read(
            lambda session, actor: (
                round_summary(session, actor, name),
                round_service.confirmation_token(load_round(session, name)),
            )
        )
        if not confirmed:
            answer = QMessageBox.question(
                self,
                _("Release: offers and letters"),
                _(
                    "Release round {name}? {count} applicants get an offer or a notice, each "
                    "a bilingual letter. The results cannot be changed afterwards."
                ).format(name=name, count=format_number(summary.applications)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, _("Where to write the letters"))
            if not chosen:
                return
            folder = Path(chosen)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.message.setText(
                _("{path} could not be created: {reason}").format(
                    path=folder, reason=exc.strerror or exc
                )
            )
            return
        progress = DialogProgress(_("Writing letters…"), _("Release: offers and letters"), self)
        try:
            released = self._run(
                lambda s, u: round_service.release_round(
                    s,
                    u,
                    name,
                    confirm=token,
                    today=self._desk.today(),
                    write_letters=release_letters(folder, progress=progress),
                )
            )
        finally:
            progress.close()
        if isinstance(released, round_service.Released):
            self.message.setText(
                _("{offers} offers and {notices} notices written to {folder}").format(
                    offers=format_number(released.offers),
                    notices=format_number(released.not_allocated),
                    folder=folder,
                )
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
