"""A custom import-linter contract for a rule the built-in ones cannot state.

With ``include_external_packages`` the import graph keeps an external package as one node
(``PySide6``), so "only ``tiki_gui.webengine`` imports ``PySide6.QtWebEngine*``" cannot be a
``forbidden`` contract. :class:`ExternalSubmoduleContract` reads the graph's import details (the
import line itself) for every direct import of the external package and reports the lines that
name a forbidden submodule outside the allowed packages. Registered in pyproject.toml
(``contract_types``); lint-imports runs from the repository root, so ``tests`` is importable.
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

__all__ = ["ExternalSubmoduleContract"]


class ExternalSubmoduleContract(Contract):
    """Only ``allowed_importers`` (and their submodules) may import ``submodule`` (a prefix such
    as ``PySide6.QtWebEngine``) of the external package it belongs to."""

    submodule = fields.StringField()
    allowed_importers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        # The fields hold the parsed options once the contract is made (import-linter's design).
        options = vars(self)
        prefix = str(options["submodule"])
        package = prefix.split(".")[0]
        allowed = [str(name) for name in options["allowed_importers"]]
        offenders = []
        for importer in sorted(graph.find_modules_that_directly_import(package)):
            if any(importer == name or importer.startswith(name + ".") for name in allowed):
                continue
            for detail in graph.get_import_details(importer=importer, imported=package):
                if prefix in detail["line_contents"]:
                    offenders.append(
                        f"{importer}:{detail['line_number']}: {detail['line_contents']}"
                    )
        return ContractCheck(kept=not offenders, metadata={"offenders": offenders})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["offenders"]:
            output.print_error(line, bold=False)
