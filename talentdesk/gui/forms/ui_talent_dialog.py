# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'talent_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QDialog, QGridLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QSizePolicy, QSpacerItem, QTabWidget, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget)

class Ui_TalentDialog(object):
    def setupUi(self, TalentDialog):
        if not TalentDialog.objectName():
            TalentDialog.setObjectName(u"TalentDialog")
        TalentDialog.resize(940, 620)
        TalentDialog.setWindowTitle(u"Talent record[*]")
        TalentDialog.setSizeGripEnabled(True)
        self.dialog_layout = QVBoxLayout(TalentDialog)
        self.dialog_layout.setObjectName(u"dialog_layout")
        self.summary_label = QLabel(TalentDialog)
        self.summary_label.setObjectName(u"summary_label")
        self.summary_label.setStyleSheet(u"QLabel { color: #b3261e; background: #fdecea; border: 1px solid #f1b8b3; border-radius: 3px; padding: 6px; }")
        self.summary_label.setText(u"Summary of the problems")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialog_layout.addWidget(self.summary_label)

        self.tabs = QTabWidget(TalentDialog)
        self.tabs.setObjectName(u"tabs")
        self.basic_tab = QWidget()
        self.basic_tab.setObjectName(u"basic_tab")
        self.basic_layout = QHBoxLayout(self.basic_tab)
        self.basic_layout.setObjectName(u"basic_layout")
        self.person_grid = QGridLayout()
        self.person_grid.setObjectName(u"person_grid")
        self.person_grid.setHorizontalSpacing(10)
        self.person_grid.setVerticalSpacing(6)
        self.name_zh_label = QLabel(self.basic_tab)
        self.name_zh_label.setObjectName(u"name_zh_label")
        self.name_zh_label.setText(u"Name in Chinese")

        self.person_grid.addWidget(self.name_zh_label, 0, 0, 1, 1)

        self.name_zh = QLineEdit(self.basic_tab)
        self.name_zh.setObjectName(u"name_zh")
        self.name_zh.setMaxLength(50)

        self.person_grid.addWidget(self.name_zh, 0, 1, 1, 1)

        self.name_zh_error = QLabel(self.basic_tab)
        self.name_zh_error.setObjectName(u"name_zh_error")
        self.name_zh_error.setStyleSheet(u"color: #b3261e;")
        self.name_zh_error.setText(u"reason")
        self.name_zh_error.setWordWrap(True)

        self.person_grid.addWidget(self.name_zh_error, 1, 1, 1, 1)

        self.name_passport_label = QLabel(self.basic_tab)
        self.name_passport_label.setObjectName(u"name_passport_label")
        self.name_passport_label.setText(u"Name as in passport")

        self.person_grid.addWidget(self.name_passport_label, 2, 0, 1, 1)

        self.name_passport = QLineEdit(self.basic_tab)
        self.name_passport.setObjectName(u"name_passport")
        self.name_passport.setMaxLength(100)
        self.name_passport.setPlaceholderText(u"SURNAME GIVEN NAMES")

        self.person_grid.addWidget(self.name_passport, 2, 1, 1, 1)

        self.name_passport_error = QLabel(self.basic_tab)
        self.name_passport_error.setObjectName(u"name_passport_error")
        self.name_passport_error.setStyleSheet(u"color: #b3261e;")
        self.name_passport_error.setText(u"reason")
        self.name_passport_error.setWordWrap(True)

        self.person_grid.addWidget(self.name_passport_error, 3, 1, 1, 1)

        self.resident_id_label = QLabel(self.basic_tab)
        self.resident_id_label.setObjectName(u"resident_id_label")
        self.resident_id_label.setText(u"Resident ID number")

        self.person_grid.addWidget(self.resident_id_label, 4, 0, 1, 1)

        self.resident_id = QLineEdit(self.basic_tab)
        self.resident_id.setObjectName(u"resident_id")
        self.resident_id.setMaxLength(24)

        self.person_grid.addWidget(self.resident_id, 4, 1, 1, 1)

        self.resident_id_error = QLabel(self.basic_tab)
        self.resident_id_error.setObjectName(u"resident_id_error")
        self.resident_id_error.setStyleSheet(u"color: #b3261e;")
        self.resident_id_error.setText(u"reason")
        self.resident_id_error.setWordWrap(True)

        self.person_grid.addWidget(self.resident_id_error, 5, 1, 1, 1)

        self.gender_label = QLabel(self.basic_tab)
        self.gender_label.setObjectName(u"gender_label")
        self.gender_label.setText(u"Gender")

        self.person_grid.addWidget(self.gender_label, 6, 0, 1, 1)

        self.gender = QComboBox(self.basic_tab)
        self.gender.setObjectName(u"gender")

        self.person_grid.addWidget(self.gender, 6, 1, 1, 1)

        self.gender_error = QLabel(self.basic_tab)
        self.gender_error.setObjectName(u"gender_error")
        self.gender_error.setStyleSheet(u"color: #b3261e;")
        self.gender_error.setText(u"reason")
        self.gender_error.setWordWrap(True)

        self.person_grid.addWidget(self.gender_error, 7, 1, 1, 1)

        self.birth_date_label = QLabel(self.basic_tab)
        self.birth_date_label.setObjectName(u"birth_date_label")
        self.birth_date_label.setText(u"Birth date")

        self.person_grid.addWidget(self.birth_date_label, 8, 0, 1, 1)

        self.birth_date = QLineEdit(self.basic_tab)
        self.birth_date.setObjectName(u"birth_date")
        self.birth_date.setMaxLength(12)
        self.birth_date.setPlaceholderText(u"YYYY-MM-DD")

        self.person_grid.addWidget(self.birth_date, 8, 1, 1, 1)

        self.birth_date_error = QLabel(self.basic_tab)
        self.birth_date_error.setObjectName(u"birth_date_error")
        self.birth_date_error.setStyleSheet(u"color: #b3261e;")
        self.birth_date_error.setText(u"reason")
        self.birth_date_error.setWordWrap(True)

        self.person_grid.addWidget(self.birth_date_error, 9, 1, 1, 1)

        self.nationality_label = QLabel(self.basic_tab)
        self.nationality_label.setObjectName(u"nationality_label")
        self.nationality_label.setText(u"Nationality")

        self.person_grid.addWidget(self.nationality_label, 10, 0, 1, 1)

        self.nationality = QComboBox(self.basic_tab)
        self.nationality.setObjectName(u"nationality")
        self.nationality.setEditable(True)
        self.nationality.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)

        self.person_grid.addWidget(self.nationality, 10, 1, 1, 1)

        self.nationality_error = QLabel(self.basic_tab)
        self.nationality_error.setObjectName(u"nationality_error")
        self.nationality_error.setStyleSheet(u"color: #b3261e;")
        self.nationality_error.setText(u"reason")
        self.nationality_error.setWordWrap(True)

        self.person_grid.addWidget(self.nationality_error, 11, 1, 1, 1)

        self.phone_label = QLabel(self.basic_tab)
        self.phone_label.setObjectName(u"phone_label")
        self.phone_label.setText(u"Telephone")

        self.person_grid.addWidget(self.phone_label, 12, 0, 1, 1)

        self.phone = QLineEdit(self.basic_tab)
        self.phone.setObjectName(u"phone")
        self.phone.setMaxLength(40)

        self.person_grid.addWidget(self.phone, 12, 1, 1, 1)

        self.phone_error = QLabel(self.basic_tab)
        self.phone_error.setObjectName(u"phone_error")
        self.phone_error.setStyleSheet(u"color: #b3261e;")
        self.phone_error.setText(u"reason")
        self.phone_error.setWordWrap(True)

        self.person_grid.addWidget(self.phone_error, 13, 1, 1, 1)

        self.email_label = QLabel(self.basic_tab)
        self.email_label.setObjectName(u"email_label")
        self.email_label.setText(u"E-mail")

        self.person_grid.addWidget(self.email_label, 14, 0, 1, 1)

        self.email = QLineEdit(self.basic_tab)
        self.email.setObjectName(u"email")
        self.email.setMaxLength(120)

        self.person_grid.addWidget(self.email, 14, 1, 1, 1)

        self.email_error = QLabel(self.basic_tab)
        self.email_error.setObjectName(u"email_error")
        self.email_error.setStyleSheet(u"color: #b3261e;")
        self.email_error.setText(u"reason")
        self.email_error.setWordWrap(True)

        self.person_grid.addWidget(self.email_error, 15, 1, 1, 1)

        self.address_label = QLabel(self.basic_tab)
        self.address_label.setObjectName(u"address_label")
        self.address_label.setText(u"Address")

        self.person_grid.addWidget(self.address_label, 16, 0, 1, 1)

        self.address = QLineEdit(self.basic_tab)
        self.address.setObjectName(u"address")
        self.address.setMaxLength(300)

        self.person_grid.addWidget(self.address, 16, 1, 1, 1)

        self.person_spacer = QSpacerItem(20, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.person_grid.addItem(self.person_spacer, 17, 1, 1, 1)

        self.person_grid.setRowStretch(17, 1)
        self.person_grid.setColumnStretch(1, 1)

        self.basic_layout.addLayout(self.person_grid)

        self.columns_spacer = QSpacerItem(16, 20, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)

        self.basic_layout.addItem(self.columns_spacer)

        self.service_grid = QGridLayout()
        self.service_grid.setObjectName(u"service_grid")
        self.service_grid.setHorizontalSpacing(10)
        self.service_grid.setVerticalSpacing(6)
        self.category_label = QLabel(self.basic_tab)
        self.category_label.setObjectName(u"category_label")
        self.category_label.setText(u"Category")

        self.service_grid.addWidget(self.category_label, 0, 0, 1, 1)

        self.category = QComboBox(self.basic_tab)
        self.category.setObjectName(u"category")

        self.service_grid.addWidget(self.category, 0, 1, 1, 1)

        self.category_error = QLabel(self.basic_tab)
        self.category_error.setObjectName(u"category_error")
        self.category_error.setStyleSheet(u"color: #b3261e;")
        self.category_error.setText(u"reason")
        self.category_error.setWordWrap(True)

        self.service_grid.addWidget(self.category_error, 1, 1, 1, 1)

        self.tier_label = QLabel(self.basic_tab)
        self.tier_label.setObjectName(u"tier_label")
        self.tier_label.setText(u"Tier")

        self.service_grid.addWidget(self.tier_label, 2, 0, 1, 1)

        self.tier = QComboBox(self.basic_tab)
        self.tier.setObjectName(u"tier")

        self.service_grid.addWidget(self.tier, 2, 1, 1, 1)

        self.tier_error = QLabel(self.basic_tab)
        self.tier_error.setObjectName(u"tier_error")
        self.tier_error.setStyleSheet(u"color: #b3261e;")
        self.tier_error.setText(u"reason")
        self.tier_error.setWordWrap(True)

        self.service_grid.addWidget(self.tier_error, 3, 1, 1, 1)

        self.employer_label = QLabel(self.basic_tab)
        self.employer_label.setObjectName(u"employer_label")
        self.employer_label.setText(u"Employer")

        self.service_grid.addWidget(self.employer_label, 4, 0, 1, 1)

        self.employer_row = QHBoxLayout()
        self.employer_row.setSpacing(6)
        self.employer_row.setObjectName(u"employer_row")
        self.employer = QComboBox(self.basic_tab)
        self.employer.setObjectName(u"employer")
        self.employer.setEditable(True)
        self.employer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)

        self.employer_row.addWidget(self.employer)

        self.new_employer_button = QPushButton(self.basic_tab)
        self.new_employer_button.setObjectName(u"new_employer_button")
        self.new_employer_button.setText(u"New employer\u2026")
        self.new_employer_button.setAutoDefault(False)

        self.employer_row.addWidget(self.new_employer_button)

        self.employer_row.setStretch(0, 1)

        self.service_grid.addLayout(self.employer_row, 4, 1, 1, 1)

        self.employer_error = QLabel(self.basic_tab)
        self.employer_error.setObjectName(u"employer_error")
        self.employer_error.setStyleSheet(u"color: #b3261e;")
        self.employer_error.setText(u"reason")
        self.employer_error.setWordWrap(True)

        self.service_grid.addWidget(self.employer_error, 5, 1, 1, 1)

        self.team_label = QLabel(self.basic_tab)
        self.team_label.setObjectName(u"team_label")
        self.team_label.setText(u"Team")

        self.service_grid.addWidget(self.team_label, 6, 0, 1, 1)

        self.team_row = QHBoxLayout()
        self.team_row.setSpacing(6)
        self.team_row.setObjectName(u"team_row")
        self.team = QComboBox(self.basic_tab)
        self.team.setObjectName(u"team")

        self.team_row.addWidget(self.team)

        self.team_leader = QCheckBox(self.basic_tab)
        self.team_leader.setObjectName(u"team_leader")
        self.team_leader.setText(u"Team leader")

        self.team_row.addWidget(self.team_leader)

        self.team_row.setStretch(0, 1)

        self.service_grid.addLayout(self.team_row, 6, 1, 1, 1)

        self.team_error = QLabel(self.basic_tab)
        self.team_error.setObjectName(u"team_error")
        self.team_error.setStyleSheet(u"color: #b3261e;")
        self.team_error.setText(u"reason")
        self.team_error.setWordWrap(True)

        self.service_grid.addWidget(self.team_error, 7, 1, 1, 1)

        self.letter_language_label = QLabel(self.basic_tab)
        self.letter_language_label.setObjectName(u"letter_language_label")
        self.letter_language_label.setText(u"Letter language")

        self.service_grid.addWidget(self.letter_language_label, 8, 0, 1, 1)

        self.letter_language = QComboBox(self.basic_tab)
        self.letter_language.setObjectName(u"letter_language")

        self.service_grid.addWidget(self.letter_language, 8, 1, 1, 1)

        self.letter_language_error = QLabel(self.basic_tab)
        self.letter_language_error.setObjectName(u"letter_language_error")
        self.letter_language_error.setStyleSheet(u"color: #b3261e;")
        self.letter_language_error.setText(u"reason")
        self.letter_language_error.setWordWrap(True)

        self.service_grid.addWidget(self.letter_language_error, 9, 1, 1, 1)

        self.notes_label = QLabel(self.basic_tab)
        self.notes_label.setObjectName(u"notes_label")
        self.notes_label.setText(u"Notes")
        self.notes_label.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignLeft|Qt.AlignmentFlag.AlignTop)

        self.service_grid.addWidget(self.notes_label, 10, 0, 1, 1)

        self.notes = QPlainTextEdit(self.basic_tab)
        self.notes.setObjectName(u"notes")
        self.notes.setTabChangesFocus(True)

        self.service_grid.addWidget(self.notes, 10, 1, 1, 1)

        self.service_grid.setRowStretch(10, 1)
        self.service_grid.setColumnStretch(1, 1)

        self.basic_layout.addLayout(self.service_grid)

        self.basic_layout.setStretch(0, 1)
        self.basic_layout.setStretch(2, 1)
        self.tabs.addTab(self.basic_tab, "")
        self.tabs.setTabText(self.tabs.indexOf(self.basic_tab), u"Basic")
        self.documents_tab = QWidget()
        self.documents_tab.setObjectName(u"documents_tab")
        self.documents_tab_layout = QVBoxLayout(self.documents_tab)
        self.documents_tab_layout.setObjectName(u"documents_tab_layout")
        self.documents_error = QLabel(self.documents_tab)
        self.documents_error.setObjectName(u"documents_error")
        self.documents_error.setStyleSheet(u"color: #b3261e;")
        self.documents_error.setText(u"reason")
        self.documents_error.setWordWrap(True)

        self.documents_tab_layout.addWidget(self.documents_error)

        self.documents_table = QTableWidget(self.documents_tab)
        if (self.documents_table.columnCount() < 4):
            self.documents_table.setColumnCount(4)
        __qtablewidgetitem = QTableWidgetItem()
        __qtablewidgetitem.setText(u"Kind")
        self.documents_table.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        __qtablewidgetitem1.setText(u"Number")
        self.documents_table.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        __qtablewidgetitem2.setText(u"Issuing country")
        self.documents_table.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        __qtablewidgetitem3.setText(u"Expiry date")
        self.documents_table.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        self.documents_table.setObjectName(u"documents_table")
        self.documents_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents_table.setTabKeyNavigation(False)
        self.documents_table.horizontalHeader().setStretchLastSection(True)
        self.documents_table.verticalHeader().setVisible(False)

        self.documents_tab_layout.addWidget(self.documents_table)

        self.documents_buttons = QHBoxLayout()
        self.documents_buttons.setSpacing(6)
        self.documents_buttons.setObjectName(u"documents_buttons")
        self.add_document_button = QPushButton(self.documents_tab)
        self.add_document_button.setObjectName(u"add_document_button")
        self.add_document_button.setText(u"Add document")
        self.add_document_button.setAutoDefault(False)

        self.documents_buttons.addWidget(self.add_document_button)

        self.remove_document_button = QPushButton(self.documents_tab)
        self.remove_document_button.setObjectName(u"remove_document_button")
        self.remove_document_button.setText(u"Remove document")
        self.remove_document_button.setAutoDefault(False)

        self.documents_buttons.addWidget(self.remove_document_button)

        self.documents_buttons_spacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.documents_buttons.addItem(self.documents_buttons_spacer)


        self.documents_tab_layout.addLayout(self.documents_buttons)

        self.tabs.addTab(self.documents_tab, "")
        self.tabs.setTabText(self.tabs.indexOf(self.documents_tab), u"Documents")
        self.family_tab = QWidget()
        self.family_tab.setObjectName(u"family_tab")
        self.family_tab_layout = QVBoxLayout(self.family_tab)
        self.family_tab_layout.setObjectName(u"family_tab_layout")
        self.family_error = QLabel(self.family_tab)
        self.family_error.setObjectName(u"family_error")
        self.family_error.setStyleSheet(u"color: #b3261e;")
        self.family_error.setText(u"reason")
        self.family_error.setWordWrap(True)

        self.family_tab_layout.addWidget(self.family_error)

        self.family_table = QTableWidget(self.family_tab)
        if (self.family_table.columnCount() < 6):
            self.family_table.setColumnCount(6)
        __qtablewidgetitem4 = QTableWidgetItem()
        __qtablewidgetitem4.setText(u"Relation")
        self.family_table.setHorizontalHeaderItem(0, __qtablewidgetitem4)
        __qtablewidgetitem5 = QTableWidgetItem()
        __qtablewidgetitem5.setText(u"Name")
        self.family_table.setHorizontalHeaderItem(1, __qtablewidgetitem5)
        __qtablewidgetitem6 = QTableWidgetItem()
        __qtablewidgetitem6.setText(u"Gender")
        self.family_table.setHorizontalHeaderItem(2, __qtablewidgetitem6)
        __qtablewidgetitem7 = QTableWidgetItem()
        __qtablewidgetitem7.setText(u"Birth date")
        self.family_table.setHorizontalHeaderItem(3, __qtablewidgetitem7)
        __qtablewidgetitem8 = QTableWidgetItem()
        __qtablewidgetitem8.setText(u"ID number")
        self.family_table.setHorizontalHeaderItem(4, __qtablewidgetitem8)
        __qtablewidgetitem9 = QTableWidgetItem()
        __qtablewidgetitem9.setText(u"Accessible home needed")
        self.family_table.setHorizontalHeaderItem(5, __qtablewidgetitem9)
        self.family_table.setObjectName(u"family_table")
        self.family_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.family_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.family_table.setTabKeyNavigation(False)
        self.family_table.horizontalHeader().setStretchLastSection(True)
        self.family_table.verticalHeader().setVisible(False)

        self.family_tab_layout.addWidget(self.family_table)

        self.family_buttons = QHBoxLayout()
        self.family_buttons.setSpacing(6)
        self.family_buttons.setObjectName(u"family_buttons")
        self.add_family_button = QPushButton(self.family_tab)
        self.add_family_button.setObjectName(u"add_family_button")
        self.add_family_button.setText(u"Add family member")
        self.add_family_button.setAutoDefault(False)

        self.family_buttons.addWidget(self.add_family_button)

        self.remove_family_button = QPushButton(self.family_tab)
        self.remove_family_button.setObjectName(u"remove_family_button")
        self.remove_family_button.setText(u"Remove family member")
        self.remove_family_button.setAutoDefault(False)

        self.family_buttons.addWidget(self.remove_family_button)

        self.family_buttons_spacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.family_buttons.addItem(self.family_buttons_spacer)


        self.family_tab_layout.addLayout(self.family_buttons)

        self.tabs.addTab(self.family_tab, "")
        self.tabs.setTabText(self.tabs.indexOf(self.family_tab), u"Family")
        self.recognitions_tab = QWidget()
        self.recognitions_tab.setObjectName(u"recognitions_tab")
        self.recognitions_tab_layout = QVBoxLayout(self.recognitions_tab)
        self.recognitions_tab_layout.setObjectName(u"recognitions_tab_layout")
        self.recognitions_error = QLabel(self.recognitions_tab)
        self.recognitions_error.setObjectName(u"recognitions_error")
        self.recognitions_error.setStyleSheet(u"color: #b3261e;")
        self.recognitions_error.setText(u"reason")
        self.recognitions_error.setWordWrap(True)

        self.recognitions_tab_layout.addWidget(self.recognitions_error)

        self.recognitions_table = QTableWidget(self.recognitions_tab)
        if (self.recognitions_table.columnCount() < 2):
            self.recognitions_table.setColumnCount(2)
        __qtablewidgetitem10 = QTableWidgetItem()
        __qtablewidgetitem10.setText(u"Title")
        self.recognitions_table.setHorizontalHeaderItem(0, __qtablewidgetitem10)
        __qtablewidgetitem11 = QTableWidgetItem()
        __qtablewidgetitem11.setText(u"Date")
        self.recognitions_table.setHorizontalHeaderItem(1, __qtablewidgetitem11)
        self.recognitions_table.setObjectName(u"recognitions_table")
        self.recognitions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recognitions_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.recognitions_table.setTabKeyNavigation(False)
        self.recognitions_table.horizontalHeader().setStretchLastSection(True)
        self.recognitions_table.verticalHeader().setVisible(False)

        self.recognitions_tab_layout.addWidget(self.recognitions_table)

        self.recognitions_buttons = QHBoxLayout()
        self.recognitions_buttons.setSpacing(6)
        self.recognitions_buttons.setObjectName(u"recognitions_buttons")
        self.add_recognition_button = QPushButton(self.recognitions_tab)
        self.add_recognition_button.setObjectName(u"add_recognition_button")
        self.add_recognition_button.setText(u"Add recognition")
        self.add_recognition_button.setAutoDefault(False)

        self.recognitions_buttons.addWidget(self.add_recognition_button)

        self.remove_recognition_button = QPushButton(self.recognitions_tab)
        self.remove_recognition_button.setObjectName(u"remove_recognition_button")
        self.remove_recognition_button.setText(u"Remove recognition")
        self.remove_recognition_button.setAutoDefault(False)

        self.recognitions_buttons.addWidget(self.remove_recognition_button)

        self.recognitions_buttons_spacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.recognitions_buttons.addItem(self.recognitions_buttons_spacer)


        self.recognitions_tab_layout.addLayout(self.recognitions_buttons)

        self.tabs.addTab(self.recognitions_tab, "")
        self.tabs.setTabText(self.tabs.indexOf(self.recognitions_tab), u"Recognitions")

        self.dialog_layout.addWidget(self.tabs)

        self.button_row = QHBoxLayout()
        self.button_row.setSpacing(6)
        self.button_row.setObjectName(u"button_row")
        self.undo_button = QPushButton(TalentDialog)
        self.undo_button.setObjectName(u"undo_button")
        self.undo_button.setText(u"Undo changes")
        self.undo_button.setAutoDefault(False)

        self.button_row.addWidget(self.undo_button)

        self.button_spacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.button_row.addItem(self.button_spacer)

        self.save_button = QPushButton(TalentDialog)
        self.save_button.setObjectName(u"save_button")
        self.save_button.setText(u"Save")
        self.save_button.setAutoDefault(False)

        self.button_row.addWidget(self.save_button)

        self.cancel_button = QPushButton(TalentDialog)
        self.cancel_button.setObjectName(u"cancel_button")
        self.cancel_button.setText(u"Cancel")
        self.cancel_button.setAutoDefault(False)

        self.button_row.addWidget(self.cancel_button)


        self.dialog_layout.addLayout(self.button_row)

#if QT_CONFIG(shortcut)
        self.name_zh_label.setBuddy(self.name_zh)
        self.name_passport_label.setBuddy(self.name_passport)
        self.resident_id_label.setBuddy(self.resident_id)
        self.gender_label.setBuddy(self.gender)
        self.birth_date_label.setBuddy(self.birth_date)
        self.nationality_label.setBuddy(self.nationality)
        self.phone_label.setBuddy(self.phone)
        self.email_label.setBuddy(self.email)
        self.address_label.setBuddy(self.address)
        self.category_label.setBuddy(self.category)
        self.tier_label.setBuddy(self.tier)
        self.employer_label.setBuddy(self.employer)
        self.team_label.setBuddy(self.team)
        self.letter_language_label.setBuddy(self.letter_language)
        self.notes_label.setBuddy(self.notes)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.tabs, self.name_zh)
        QWidget.setTabOrder(self.name_zh, self.name_passport)
        QWidget.setTabOrder(self.name_passport, self.resident_id)
        QWidget.setTabOrder(self.resident_id, self.gender)
        QWidget.setTabOrder(self.gender, self.birth_date)
        QWidget.setTabOrder(self.birth_date, self.nationality)
        QWidget.setTabOrder(self.nationality, self.phone)
        QWidget.setTabOrder(self.phone, self.email)
        QWidget.setTabOrder(self.email, self.address)
        QWidget.setTabOrder(self.address, self.category)
        QWidget.setTabOrder(self.category, self.tier)
        QWidget.setTabOrder(self.tier, self.employer)
        QWidget.setTabOrder(self.employer, self.new_employer_button)
        QWidget.setTabOrder(self.new_employer_button, self.team)
        QWidget.setTabOrder(self.team, self.team_leader)
        QWidget.setTabOrder(self.team_leader, self.letter_language)
        QWidget.setTabOrder(self.letter_language, self.notes)
        QWidget.setTabOrder(self.notes, self.documents_table)
        QWidget.setTabOrder(self.documents_table, self.add_document_button)
        QWidget.setTabOrder(self.add_document_button, self.remove_document_button)
        QWidget.setTabOrder(self.remove_document_button, self.family_table)
        QWidget.setTabOrder(self.family_table, self.add_family_button)
        QWidget.setTabOrder(self.add_family_button, self.remove_family_button)
        QWidget.setTabOrder(self.remove_family_button, self.recognitions_table)
        QWidget.setTabOrder(self.recognitions_table, self.add_recognition_button)
        QWidget.setTabOrder(self.add_recognition_button, self.remove_recognition_button)
        QWidget.setTabOrder(self.remove_recognition_button, self.undo_button)
        QWidget.setTabOrder(self.undo_button, self.save_button)
        QWidget.setTabOrder(self.save_button, self.cancel_button)

        self.retranslateUi(TalentDialog)

        self.tabs.setCurrentIndex(0)


        QMetaObject.connectSlotsByName(TalentDialog)
    # setupUi

    def retranslateUi(self, TalentDialog):
        pass
    # retranslateUi

