"""Bilingual letters and printed reports: fonts, letterhead, letter kinds, the PDF engine, verify.

A letter is one template rendered twice, in the recipient's Chinese (zh_CN or zh_HK) and in
English, on one A4 letter with the centre's letterhead, a reference number and a QR code that
``talentdesk letters verify`` checks against the record of issued letters. Reports (tables and
charts) share the page engine. Nothing here imports Qt: the GUI drives the same services.
"""

from talentdesk.letters.library_patterns import defer_library_patterns

defer_library_patterns()
