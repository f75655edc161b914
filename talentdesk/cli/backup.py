"""Backups on the command line: take one, list them, set the rotation, restore one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentdesk.cli.base import EXIT_OK, Context, add_command
from talentdesk.i18n import _, format_number

if TYPE_CHECKING:
    from talentdesk.backups import BackupFile


def add_backup_commands(sub: Any) -> None:
    backup = add_command(
        sub,
        "backup",
        _(
            "back up the database now (SQLite: into the backups folder beside it; PostgreSQL: "
            "with pg_dump), list the backups, or set how many are kept"
        ),
        _cmd_backup,
    )
    backup.add_argument(
        "--to", type=Path, metavar="DIR", help=_("the folder to back up into (no rotation there)")
    )
    backup.add_argument("--list", action="store_true", help=_("list the backups, newest first"))
    backup.add_argument(
        "--keep-last", type=int, metavar="N", help=_("rotation: keep the last N backups")
    )
    backup.add_argument(
        "--keep-daily", type=int, metavar="N", help=_("rotation: and the newest of each of N days")
    )
    backup.add_argument(
        "--keep-weekly",
        type=int,
        metavar="N",
        help=_("rotation: and the newest of each of N weeks"),
    )
    restore = add_command(
        sub,
        "restore",
        _(
            "check a backup file and, with --yes, replace the database with it (a copy of the "
            "database as it was is kept in the backups folder)"
        ),
        _cmd_restore,
    )
    restore.add_argument("file", type=Path, metavar="FILE", help=_("the backup file"))
    restore.add_argument(
        "--yes", action="store_true", help=_("replace the database (without it: check only)")
    )


def _size(size: int) -> str:
    return _("{size} MB").format(size=format_number(round(size / 1_000_000, 1)))


def _kind(backup: BackupFile) -> str:
    from talentdesk.backups import BEFORE_MIGRATION, BEFORE_RESTORE

    if backup.kind == BEFORE_RESTORE:
        return _("before a restore")
    if backup.kind == BEFORE_MIGRATION:
        return _("before a migration")
    return ""


def _cmd_backup(ctx: Context) -> int:
    from talentdesk.backups import (
        back_up,
        backups_folder,
        list_backups,
        load_rotation,
        set_rotation,
    )

    args = ctx.args
    database = ctx.database
    if args.list:
        folder = args.to or backups_folder(database)
        backups = list_backups(folder)
        if not backups:
            ctx.say(_("No backups in {folder}.").format(folder=folder))
        for b in backups:
            ctx.say(
                f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {_size(b.size):>9}  {b.path}  {_kind(b)}".rstrip()
            )
        return EXIT_OK
    changes = {"last": args.keep_last, "daily": args.keep_daily, "weekly": args.keep_weekly}
    if any(v is not None for v in changes.values()):
        rotation = ctx.desk.run(lambda s, actor: set_rotation(s, actor, **changes))
        ctx.say(_("Rotation: {rule}.").format(rule=rotation.describe()))
        return EXIT_OK
    if args.to is None:
        rotation = ctx.desk.read(lambda s, _actor: load_rotation(s))
    done = back_up(database, ctx.desk.run, to=args.to)
    ctx.say(
        _("Backed up to {path} ({size}).").format(
            path=done.backup.path, size=_size(done.backup.size)
        )
    )
    if args.to is None:
        ctx.say(_("Rotation: {rule}.").format(rule=rotation.describe()))
    for removed in done.removed:
        ctx.say(_("Removed by the rotation: {path}").format(path=removed.path.name))
    return EXIT_OK


def _cmd_restore(ctx: Context) -> int:
    from sqlalchemy.exc import DBAPIError

    from talentdesk.backups import check_backup, restore_postgres, restore_sqlite
    from talentdesk.db.engine import resolve_url
    from talentdesk.errors import DamagedDatabaseError
    from talentdesk.people.permissions import Permission, require
    from talentdesk.settings import default_database_path, demo_database_path

    args = ctx.args
    url = resolve_url(args.db, demo_database_path() if args.demo else default_database_path())
    actor_name: str | None = None
    try:
        desk = ctx.desk
        actor_name = desk.read(
            lambda _s, actor: (require(actor, Permission.ADMINISTER), actor)[1]
        ).username
    except (DamagedDatabaseError, DBAPIError) as exc:
        if url.get_backend_name() != "sqlite":
            raise
        # the case a restore is for: a database that cannot be opened; nobody can sign in to it
        ctx.warn(
            _("The database cannot be opened ({reason}); it is replaced without a sign-in.").format(
                reason=exc.reason() if isinstance(exc, DamagedDatabaseError) else str(exc.orig)
            )
        )
    if url.get_backend_name() != "sqlite":
        if not args.yes:
            ctx.say(
                _("Add --yes to replace {database} with {path}.").format(
                    database=url.render_as_string(hide_password=True), path=args.file
                )
            )
            return EXIT_OK
        from talentdesk.db.engine import open_database

        ctx.release()  # signed out of the database as it is, before it is replaced
        database = open_database(url)
        try:
            done = restore_postgres(database, args.file, actor_name=actor_name)
        finally:
            database.dispose()
        ctx.say(
            _("Restored {database} from {path}.").format(
                database=url.render_as_string(hide_password=True), path=done.source
            )
        )
        if done.previous is not None:
            ctx.say(_("The database as it was is kept in {path}.").format(path=done.previous.path))
        return EXIT_OK
    target = Path(url.database or "")
    ctx.release()  # the file is about to be replaced: this command lets go of it first
    checked = check_backup(args.file, target.parent / "backups")
    ctx.say(
        _("{path} is a sound backup: schema {revision}, {events} audit events that verify.").format(
            path=checked.source, revision=checked.revision, events=format_number(checked.events)
        )
    )
    if checked.migrated:
        ctx.say(_("It is of an older schema and is brought up to date as it is restored."))
    if not args.yes:
        checked.discard()
        ctx.say(_("Add --yes to replace {database} with it.").format(database=target))
        return EXIT_OK
    done = restore_sqlite(target, checked, actor_name=actor_name)
    ctx.say(_("Restored {database} from {path}.").format(database=target, path=done.source))
    if done.previous is not None:
        ctx.say(_("The database as it was is kept in {path}.").format(path=done.previous.path))
    return EXIT_OK
