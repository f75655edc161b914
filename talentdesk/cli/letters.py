"""``talentdesk letters ...``: kinds, render, batch, verify, letterhead."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from talentdesk.cli.base import EXIT_INVALID, EXIT_OK, Context, add_command
from talentdesk.errors import UserError
from talentdesk.i18n import N_, _, ngettext
from talentdesk.outputs import atomic_path


def _field_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=_(
            "a field of the letter (see `letters kinds`); repeat for each field or list item; "
            "lists may also be separated by ';', both languages by '|' (中文|English)"
        ),
    )
    parser.add_argument(
        "--demo-values",
        action="store_true",
        help=_("fill the fields not given with example values (always so with --demo)"),
    )
    parser.add_argument(
        "--draft",
        action="store_true",
        help=_("a draft to look at: marked as such, no QR code, not numbered or recorded"),
    )


def add_letter_commands(sub: Any) -> None:
    letters = sub.add_parser("letters", help=_("bilingual letters: list kinds, render, verify"))
    action = letters.add_subparsers(dest="action", required=True)

    add_command(action, "kinds", _("list the kinds of letter and their fields"), _cmd_kinds)

    render = add_command(
        action,
        "render",
        _("issue one letter to one talent as a PDF (recorded for verification)"),
        _cmd_render,
    )
    render.add_argument("kind", help=_("the kind of letter (see `letters kinds`)"))
    render.add_argument("--talent", required=True, metavar="RECORD_NO", help=_("record number"))
    render.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    _field_arguments(render)

    batch = add_command(
        action, "batch", _("issue one letter to each of many talents, all in one PDF"), _cmd_batch
    )
    batch.add_argument("kind", help=_("the kind of letter (see `letters kinds`)"))
    who = batch.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--talents", metavar="RECORD_NO,...", help=_("record numbers, comma-separated")
    )
    who.add_argument("--query", metavar="TEXT", help=_("every talent this search finds"))
    batch.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    _field_arguments(batch)

    verify = add_command(
        action,
        "verify",
        _(
            "check a letter file's signature (the centre's seal, over the whole file) and the "
            "record of every letter it holds (exit code 0 when it holds, 1 when not)"
        ),
        _cmd_verify,
    )
    verify.add_argument("file", type=Path, metavar="FILE.pdf")

    check = add_command(
        action,
        "check",
        _(
            "look up a letter on paper or a scan by its reference: the record in both "
            "languages, its status, and whether its verification code checks out"
        ),
        _cmd_check,
    )
    check.add_argument("reference", metavar="REFERENCE")
    check.add_argument("--code", default="", metavar="CODE", help=_("the code the QR shows"))
    check.add_argument(
        "--copy",
        type=Path,
        metavar="FILE.pdf",
        help=_("also draw the letter again from the register, marked as a copy, to compare"),
    )
    withdraw = add_command(
        action, "withdraw", _("withdraw an issued letter, giving the reason"), _cmd_withdraw
    )
    withdraw.add_argument("reference", metavar="REFERENCE")
    withdraw.add_argument("--reason", required=True, metavar="TEXT")
    supersede = add_command(
        action,
        "supersede",
        _("record that a later letter to the same talent takes an issued letter's place"),
        _cmd_supersede,
    )
    supersede.add_argument("reference", metavar="REFERENCE")
    supersede.add_argument("--by", required=True, metavar="REFERENCE", help=_("the later letter"))
    supersede.add_argument("--reason", required=True, metavar="TEXT")

    wording = add_command(
        action,
        "wording",
        _(
            "a kind of letter's wording in Chinese, Traditional and English: show or export "
            "it, preview a revision, keep it as the next version (administrators)"
        ),
        _cmd_wording,
    )
    wording.add_argument("kind", metavar="KIND")
    wording_action = wording.add_mutually_exclusive_group()
    wording_action.add_argument(
        "--export", type=Path, metavar="FILE.toml", help=_("write the texts as they stand")
    )
    wording_action.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE.toml",
        help=_("the revised texts (an exported file, edited)"),
    )
    wording.add_argument(
        "--preview",
        type=Path,
        metavar="FILE.pdf",
        help=_("with --import: draw a draft letter with the revision, keep nothing"),
    )
    wording.add_argument(
        "--talent", default="", metavar="RECORD_NO", help=_("the talent the preview is to")
    )
    wording.add_argument(
        "--note", default="", metavar="TEXT", help=_("with --import: why it was revised")
    )

    head = add_command(
        action,
        "letterhead",
        _("show the letterhead, or change it (administrators)"),
        _cmd_letterhead,
    )
    head.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help=_("change a setting")
    )
    head.add_argument("--logo", type=Path, metavar="IMAGE", help=_("a PNG or JPEG logo"))
    head.add_argument("--seal", type=Path, metavar="IMAGE", help=_("a PNG or JPEG seal"))

    seal = add_command(
        action,
        "seal",
        _(
            "the centre's electronic seal that signs letters and reports: list its "
            "certificates, roll it over to a new key, import one a certification authority "
            "issued, or revoke one (administrators)"
        ),
        _cmd_seal,
    )
    seal_action = seal.add_mutually_exclusive_group()
    seal_action.add_argument(
        "--roll", action="store_true", help=_("sign from now on with a new key and certificate")
    )
    seal_action.add_argument(
        "--revoke", metavar="FINGERPRINT", help=_("revoke this seal certificate (--reason)")
    )
    seal_action.add_argument(
        "--export-root",
        type=Path,
        metavar="FILE.pem",
        help=_(
            "write the centre's root certificate, for a PDF reader to trust (then it shows the "
            "signature as valid)"
        ),
    )
    seal_action.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE.p12",
        help=_(
            "sign from now on with a certificate a certification authority issued: its PKCS#12 "
            "file (.p12 or .pfx: the key, the certificate and the authority's chain); the "
            "file's password is asked"
        ),
    )
    seal.add_argument("--reason", default="", metavar="TEXT", help=_("why it is revoked"))
    seal.add_argument(
        "--root",
        type=Path,
        metavar="FILE.pem",
        help=_(
            "with --import: the certification authority's root certificate (PEM or DER), when "
            "the PKCS#12 file does not hold it"
        ),
    )
    seal.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help=_(
            "with --import: read the PKCS#12 file's password from the first line of this file "
            "(for scripts) instead of asking for it"
        ),
    )


def _cmd_kinds(ctx: Context) -> int:
    from talentdesk.letters.kinds import describe_fields, letter_kinds

    for code, kind in letter_kinds().items():
        ctx.say(f"{code}: {_(kind.title)} — {_(kind.summary)}")
        for name, label, required in describe_fields(kind):
            mark = _("required") if required else _("optional")
            ctx.say(f"    {name}  {_(label)} ({mark})")
    return EXIT_OK


def _parse_fields(pairs: list[str]) -> dict[str, list[str] | str]:
    values: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UserError(N_("write a field as NAME=VALUE, not {value}"), value=pair)
        values.setdefault(name.strip(), []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in values.items()}


def _issue(ctx: Context, talents: list[str] | None) -> int:
    from talentdesk.letters.service import issue_letters
    from talentdesk.progress import TextProgress, no_progress
    from talentdesk.talents.search import talent_ids

    args = ctx.args
    values = _parse_fields(args.field)

    def work(session, actor):
        keys: list[int | str] = list(talents) if talents else []
        if talents is None:
            keys = list(talent_ids(session, args.query))
            if not keys:
                raise UserError(N_("no talent matches {value}"), value=args.query)
        return issue_letters(
            session,
            actor,
            args.kind,
            keys,
            args.out,
            values=values,
            demo_defaults=args.demo_values or bool(args.demo),
            draft=args.draft,
            progress=TextProgress(_("Letters")) if len(keys) > 1 else no_progress,
        )

    batch = ctx.desk.run(work)
    first, last = batch.references[0], batch.references[-1]
    refs = first if first == last else f"{first} … {last}"
    message = ngettext(
        "{count} letter ({refs}) written to {path}",
        "{count} letters ({refs}) written to {path}",
        len(batch.references),
    )
    ctx.say(message.format(count=len(batch.references), refs=refs, path=batch.path))
    if batch.converted:
        from talentdesk.letters.traditional import conversion_note

        ctx.say(conversion_note(batch.converted))
    return EXIT_OK


def _cmd_render(ctx: Context) -> int:
    return _issue(ctx, [ctx.args.talent])


def _cmd_batch(ctx: Context) -> int:
    talents = None
    if ctx.args.talents:
        talents = [t.strip() for t in ctx.args.talents.split(",") if t.strip()]
    return _issue(ctx, talents)


def _cmd_verify(ctx: Context) -> int:
    from talentdesk.letters.kinds import letter_kinds
    from talentdesk.letters.verify import verify_pdf

    args = ctx.args
    result = ctx.desk.read(lambda s, _u: verify_pdf(s, args.file))
    if result.signature is not None and result.signature.summary():
        ctx.say(result.signature.summary())
    kinds = letter_kinds()
    for check in result.letters:
        numbers = ", ".join(str(p) for p in check.pages)
        pages = ngettext("page {pages}", "pages {pages}", len(check.pages)).format(pages=numbers)
        if check.problem is not None:
            message = _("{reference} ({pages}): {reason}")
            ctx.say(
                message.format(reference=check.reference, pages=pages, reason=check.problem.text())
            )
            continue
        assert check.record is not None
        content = check.record.content
        recipient = content["recipient"]
        kind = kinds.get(check.record.kind)
        ctx.say(
            _(
                "{reference} ({pages}): matches the record: {kind} to {name} ({record_no}), "
                "issued {date}"
            ).format(
                reference=check.reference,
                pages=pages,
                kind=_(kind.title) if kind else check.record.kind,
                name=recipient.get("name_zh") or recipient.get("name_en"),
                record_no=recipient.get("record_no"),
                date=content.get("issued_on"),
            )
        )
    for problem in result.problems:
        ctx.say(problem.text())
    if result.ok and result.report:
        ctx.say(
            _("{path}: a report the centre signed: {title}").format(
                path=args.file, title=result.report
            )
        )
        return EXIT_OK
    if result.ok:
        ctx.say(_("{path}: the letter matches the record").format(path=args.file))
        return EXIT_OK
    ctx.warn(_("{path}: does NOT match the record").format(path=args.file))
    return EXIT_INVALID


def _cmd_wording(ctx: Context) -> int:
    from talentdesk.letters.kinds import letter_kind
    from talentdesk.letters.wording import (
        export_wording,
        parse_wording,
        preview_wording,
        revise_wording,
        wording_lines,
        wording_of,
    )

    args = ctx.args
    letter_kind(args.kind)  # an unknown kind is named before anything is read or written
    if args.import_file is None:
        if args.preview is not None:
            raise UserError(N_("--preview needs --import FILE"))
        current = ctx.desk.read(lambda s, _u: wording_of(s, args.kind))
        if args.export is not None:
            with atomic_path(args.export) as target:
                target.write_text(export_wording(current), encoding="utf-8")
            ctx.say(
                _("Wording version {version} written to {path}").format(
                    version=current.version, path=args.export
                )
            )
            return EXIT_OK
        ctx.say(
            _("{kind}: wording version {version}").format(kind=args.kind, version=current.version)
        )
        for line in wording_lines(current):
            mark = "*" if line.revised else " "
            ctx.say(f"{mark} {line.texts['zh_CN']} | {line.texts['en']}")
        return EXIT_OK
    try:
        data = args.import_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            N_("cannot read {path}: {reason}"), path=str(args.import_file), reason=str(exc)
        ) from None
    revised = parse_wording(args.kind, data)
    if args.preview is not None:
        ctx.desk.read(
            lambda s, u: preview_wording(s, u, args.kind, revised, args.preview, talent=args.talent)
        )
        ctx.say(
            _("Draft with the revised wording written to {path}; nothing was kept").format(
                path=args.preview
            )
        )
        return EXIT_OK
    kept = ctx.desk.run(lambda s, u: revise_wording(s, u, args.kind, revised, args.note))
    ctx.say(
        _(
            "{kind}: wording version {version} kept; letters are composed with it from now on"
        ).format(kind=args.kind, version=kept.version)
    )
    return EXIT_OK


def _cmd_letterhead(ctx: Context) -> int:
    from talentdesk.letters.letterhead import (
        IMAGE_KEYS,
        SETTINGS,
        load_letterhead,
        update_letterhead,
    )

    args = ctx.args
    changes: dict[str, str | bytes | None] = {}
    for pair in args.set:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UserError(N_("write a setting as KEY=VALUE, not {value}"), value=pair)
        changes[key.strip()] = value
    for key in IMAGE_KEYS:
        path = getattr(args, key)
        if path is not None:
            try:
                changes[key] = path.read_bytes()
            except OSError as exc:
                raise UserError(
                    N_("cannot read {path}: {reason}"),
                    path=str(path),
                    reason=exc.strerror or str(exc),
                ) from None

    def work(session, actor):
        if changes:
            return update_letterhead(session, actor, changes)
        return load_letterhead(session)

    head = ctx.desk.run(work)
    for key, label in SETTINGS.items():
        value = getattr(head, key)
        if key in IMAGE_KEYS:
            value = _("{size} bytes").format(size=len(value)) if value else _("none")
        ctx.say(f"{key}  {_(label)}: {value}")
    return EXIT_OK


def _read_small(path: Path, limit: int) -> bytes:
    """The bytes of a file the user names (at most ``limit`` of them), or why not."""
    if not path.exists():
        raise UserError(N_("{path} does not exist"), path=str(path))
    if not path.is_file():  # a folder, a device (/dev/zero would never end)
        raise UserError(N_("{path} is not a file"), path=str(path))
    try:
        with path.open("rb") as source:
            return source.read(limit + 1)
    except OSError as exc:
        raise UserError(
            N_("cannot read {path}: {reason}"), path=str(path), reason=exc.strerror or str(exc)
        ) from None


def _pkcs12_password(ctx: Context) -> bytes:
    """The PKCS#12 file's password: the first line of --password-file, else asked."""
    import getpass
    import sys

    args = ctx.args
    if args.password_file is not None:
        line = _read_small(args.password_file, 4096).splitlines()
        return line[0] if line else b""
    if not sys.stdin.isatty():
        raise UserError(
            N_(
                "there is no terminal to ask for the PKCS#12 file's password at: give "
                "--password-file"
            )
        )
    try:
        answer = getpass.getpass(
            _("Password of {path}: ").format(path=args.import_file.name), stream=sys.stderr
        )
    except EOFError:
        raise UserError(N_("no password was given: the input ended")) from None
    return answer.encode("utf-8")


def _import_seal(ctx: Context) -> None:
    from talentdesk.letters.seal import PKCS12_LIMIT, import_seal

    args = ctx.args
    data = _read_small(args.import_file, PKCS12_LIMIT)
    root = _read_small(args.root, PKCS12_LIMIT) if args.root is not None else None
    ctx.desk  # noqa: B018 - signed in (or told not to be) before the password is asked
    password = _pkcs12_password(ctx)
    line = ctx.desk.run(lambda s, u: import_seal(s, u, data, password, root=root))
    ctx.say(
        _(
            "Seal {fingerprint} imported ({subject}): letters and reports are signed with it "
            "from now on."
        ).format(fingerprint=line.fingerprint[:16], subject=line.subject)
    )


def _cmd_seal(ctx: Context) -> int:
    from talentdesk.letters.seal import list_seals, revoke_seal, roll_seal

    args = ctx.args
    if args.import_file is None and (args.root is not None or args.password_file is not None):
        raise UserError(N_("--root and --password-file go with --import"))
    if args.import_file is not None:
        _import_seal(ctx)
    elif args.roll:
        line = ctx.desk.run(roll_seal)
        ctx.say(
            _("New seal {fingerprint}: letters and reports are signed with it from now on.").format(
                fingerprint=line.fingerprint[:16]
            )
        )
    elif args.export_root:
        from talentdesk.letters.seal import root_certificate_pem
        from talentdesk.outputs import atomic_path

        pem = ctx.desk.run(root_certificate_pem)
        with atomic_path(args.export_root) as target:
            target.write_text(pem, encoding="ascii")
        ctx.say(_("The centre's root certificate is in {path}.").format(path=args.export_root))
    elif args.revoke:
        line = ctx.desk.run(lambda s, u: revoke_seal(s, u, args.revoke, args.reason))
        ctx.say(
            _("Seal {fingerprint} revoked: what it signed before stays valid.").format(
                fingerprint=line.fingerprint[:16]
            )
        )
    for line in ctx.desk.read(list_seals):
        state = (
            _("revoked {date}: {reason}").format(
                date=f"{line.revoked_at:%Y-%m-%d}", reason=line.revoke_reason
            )
            if line.revoked_at
            else _("valid until {date}").format(date=f"{line.not_after:%Y-%m-%d}")
        )
        if line.imported:
            state = _("{state}, imported").format(state=state)
        ctx.say(f"{line.role:5} {line.fingerprint[:16]}  {line.subject}  {state}")
    return EXIT_OK


def _cmd_check(ctx: Context) -> int:
    from talentdesk.letters.status import check_reference, standing_lines

    args = ctx.args
    standing = ctx.desk.read(lambda s, u: check_reference(s, u, args.reference, args.code))
    lines = standing_lines(standing)
    if args.copy is not None:
        from talentdesk.letters.record_copy import draw_record_copy

        copy = ctx.desk.read(lambda s, u: draw_record_copy(s, u, args.reference, args.copy))
        lines.insert(1, _("Drawn again from the register: {path}").format(path=copy.path))
    if standing.code_ok is False:
        for line in lines[:-1]:
            ctx.say(line)
        ctx.warn(lines[-1])
        return EXIT_INVALID
    for line in lines:
        ctx.say(line)
    return EXIT_OK if standing.status == "valid" else EXIT_INVALID


def _cmd_withdraw(ctx: Context) -> int:
    from talentdesk.letters.status import withdraw_letter

    args = ctx.args
    ref = ctx.desk.run(lambda s, u: withdraw_letter(s, u, args.reference, args.reason).reference)
    ctx.say(_("{reference} is withdrawn.").format(reference=ref))
    return EXIT_OK


def _cmd_supersede(ctx: Context) -> int:
    from talentdesk.letters.status import supersede_letter

    args = ctx.args
    ref = ctx.desk.run(
        lambda s, u: supersede_letter(s, u, args.reference, args.by, args.reason).reference
    )
    ctx.say(_("{reference} is superseded by {by}.").format(reference=ref, by=args.by))
    return EXIT_OK
