"""Cases: intake of reports, triage and internal investigations under the due-process protocol."""
