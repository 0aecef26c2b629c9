"""Turn a Report into files and terminal output. No computation happens here."""

from mlmtext.report.json_report import read_report, report_to_dict, write_report

__all__ = ["read_report", "report_to_dict", "write_report"]
