"""One module per letter kind; every module here is imported and registers its kind.

A new kind is a new module with a :class:`~talentdesk.letters.kinds.LetterKind` subclass
decorated with :func:`~talentdesk.letters.kinds.register`, plus its texts in the catalogs.
(A frozen build collects these modules with PyInstaller's ``collect_submodules``.)
"""
