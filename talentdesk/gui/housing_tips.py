"""The housing screens' tooltips: for every step of a round and every action button, one
sentence saying what it does and what it needs (msgids; shown through gettext).

The round's steps are the codes of ``housing.states.wizard_steps``; the buttons are the names of
the housing actions (``housing.actions``, ``lease-`` before a lease action's name).
"""

from __future__ import annotations

from talentdesk.i18n import N_

#: the round wizard's steps, by their code
STEP_TIPS: dict[str, str] = {
    "freeze": N_(
        "Closes the round to new applications and stores the hash of their list; "
        "needs an open round that has not been run."
    ),
    "seed": N_(
        "Records, once and for good, where the seed will come from and the SHA-256 of the "
        "sealed seed; needs a frozen round."
    ),
    "run": N_(
        "Draws the allocation with the seed, now revealed, which must match the recorded "
        "commitment; needs the seed's source recorded first."
    ),
    "review": N_(
        "Marks the results reviewed and shows the confirmation that the release asks for; "
        "needs a manager other than the one who ran the round (as the rules say): if you ran "
        "it, a second manager signs in here for the review."
    ),
    "recheck": N_(
        "Re-checks the facts that change (work in the zone, no home owned, the household) and "
        "withdraws the results of those no longer eligible; needs reviewed results."
    ),
    "notice": N_(
        "Publishes the provisional list for the notice period the rules set, in which "
        "objections can be lodged; needs the re-check done."
    ),
    "release": N_(
        "Makes the offers and writes every applicant's offer or notice as a bilingual letter, "
        "which cannot be undone; needs the confirmation shown after the review and a folder "
        "for the letters."
    ),
}

#: the round wizard's other buttons
REPORT_TIP = N_(
    "Shows the round's allocation report (evidence, outcome, ranked list) to print or save."
)
VERIFY_TIP = N_(
    "Runs the draw again with the same seed and says whether the result is the same; needs a "
    "round that has been run."
)

#: the housing area's action buttons, by the action's name
ACTION_TIPS: dict[str, str] = {
    "apply": N_(
        "Enters a talent's application to the chosen round; needs an open round, the talent's "
        "record number, the household and the kinds of home wanted."
    ),
    "withdraw": N_(
        "Withdraws the selected application, with the reason kept in the audit trail; select "
        "an application first."
    ),
    "appeal": N_(
        "Records the applicant's appeal against the selected application's result, with its "
        "grounds; select an application first."
    ),
    "accept": N_(
        "Records that the applicant accepts the selected offer, after asking, and keeps the home "
        "reserved until the lease starts; select an offer first."
    ),
    "decline": N_(
        "Records that the applicant declines the selected offer, with their reason, so that the "
        "home can go to the next in line; select an offer first."
    ),
    "expire": N_(
        "Lets the offers whose answer deadline has passed lapse, and offers their homes to the "
        "next in line; needs a manager."
    ),
    "decide-appeal": N_(
        "Upholds the selected appeal, placing the household in a free home of a kind it may "
        "have, or dismisses it, with the decision in both languages; needs a manager."
    ),
    "lease-start": N_(
        "Starts the lease of the selected accepted offer today, after asking, and the home is "
        "let; the deposit and the end of the term follow from the rules."
    ),
    "lease-move-in": N_(
        "Records the day the tenant of the selected running lease moved in (today unless "
        "changed), not before the lease started; select a lease first."
    ),
    "lease-deposit": N_(
        "Records the day the deposit of the selected running lease was paid (today unless "
        "changed), not before the offer was accepted; select a lease first."
    ),
    "lease-renew": N_(
        "Renews the selected running lease, by its last day, after asking: a new term from the "
        "day after it ends, as the rules allow; needs a manager."
    ),
    "lease-end": N_(
        "Ends the selected running lease on the day given, after asking, with the reason; the "
        "home is vacant again and, while its round is released, goes to the next in line."
    ),
}
