"""Opening a fair database in the window: its password asked once, for the file and the user.

A fair database is encrypted whole with the fair's password, and its one user (the fair's
staff, named in the file) signs in with that same password: one dialog asks it, opens the file
with it and signs in with it. A wrong password is said in Chinese and English (whoever holds
the laptop at the fair reads one of them) and asked again; nothing else is asked.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from talentdesk.errors import Msg, UserError
from talentdesk.fair.cipher import open_fair_database
from talentdesk.fair.info import FairInfo, fair_info, fair_info_of, is_fair_file
from talentdesk.gui.dialogs import grow_to_fit
from talentdesk.gui.operations import fault_text
from talentdesk.gui.sign_in import _AccountDialog, _password_field
from talentdesk.i18n import _, translator
from talentdesk.people.accounts import WINDOW
from talentdesk.work import Desk, sign_in


def bilingual(error: UserError) -> str:
    """The error's field and reason in Chinese, then in English (two lines, one if the same)."""
    lines = []
    for code in ("zh_CN", "en"):
        tr = translator(code)
        params = {k: (tr(v) if isinstance(v, Msg) else v) for k, v in error.params.items()}
        reason = tr(error.message).format(**params)
        if error.field:
            reason = tr("{field}: {reason}").format(field=tr(error.field), reason=reason)
        lines.append(reason)
    return "\n".join(dict.fromkeys(lines))


def is_fair_location(location: str | None) -> bool:
    """``location`` names a fair database file (not a URL)."""
    if not location or "://" in location:
        return False
    return is_fair_file(Path(location))


class FairPasswordDialog(_AccountDialog):
    """The fair's password: it opens the file and signs its user in."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Open a fair database"),
            _(
                "{file} is a fair database, encrypted with the fair's password. Give it to open "
                "the file and sign in."
            ).format(file=path.name),
            parent,
        )
        self.setObjectName("fairPasswordDialog")
        self.path = path
        self.password = _password_field(self, "password")
        self.form.addRow(_("Fair password"), self.password)
        self.ok_button_text(_("Open"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.password.setFocus()

    def show_problem(self, text: str) -> None:
        super().show_problem(text)
        grow_to_fit(self)  # the message in two languages needs more lines than the dialog had

    def submit(self) -> None:
        password = self.password.text()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.desk = open_fair(self.path, password)
        except UserError as error:
            self.show_problem(bilingual(error))
            self.password.clear()
            self.password.setFocus()
            return
        except Exception as error:
            self.show_problem(fault_text(error))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


def open_fair(path: Path, password: str) -> Desk:
    """The fair database at ``path`` opened and its user signed in, both with ``password``."""
    database = open_fair_database(path, password)
    try:
        info = fair_info_of(database)
        assert info is not None  # open_fair_database refuses a file without its identity
        return sign_in(database, info.username, password, kind=WINDOW)
    except BaseException:
        database.dispose()
        raise


def sign_in_to_fair(path: Path, parent: QWidget | None = None) -> Desk | None:
    """Ask the fair's password until it opens ``path`` (None when the user cancels)."""
    dialog = FairPasswordDialog(path, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.desk


def read_fair_info(desk: Desk) -> FairInfo | None:
    """The fair the desk's database is (None at the centre, or when it cannot be read)."""
    try:
        return desk.read(lambda s, _u: fair_info(s))
    except Exception:  # the window opens as at the centre; the next unit says what is wrong
        return None


def fair_permissions(desk: Desk) -> tuple[bool, bool]:
    """Whether the desk's user may prepare fairs, and merge them (and work their queue)."""
    from talentdesk.people.permissions import Permission, can

    try:
        return desk.read(
            lambda _s, u: (can(u, Permission.PREPARE_FAIRS), can(u, Permission.MERGE_FAIRS))
        )
    except Exception:  # the menu stays as it is; the dialog says what is wrong
        return True, True
