"""Core data -> documents (Excel enforcement lists, field plans, XLSForm, GPX/KML). No Qt.

Nothing is here yet: the enforcement-list and field-plan issues add the modules.
"""
