#!/usr/bin/env python3
"""Build examples/merge/287g-agencies-EXAMPLE.xlsx: a small sheet in the layout of
ICE's published list of 287(g) participating agencies (STATE, LAW ENFORCEMENT
AGENCY, TYPE, COUNTY, SUPPORT TYPE, SIGNED, MOA, ADDENDUM) and a Contacts sheet
to join to it.  Every row is an invented example, and says so.

    python tools/make_merge_example.py
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parents[1] / "examples" / "merge" / "287g-agencies-EXAMPLE.xlsx"
AGENCIES = [
    ("TX", "Example County Sheriff's Office", "County", "Example County", "Jail Enforcement Model", dt.date(2025, 2, 20)),
    ("TX", "Sample County Sheriff's Office", "County", "Sample County", "Task Force Model", dt.date(2025, 3, 4)),
    ("FL", "Placeholder County Sheriff's Office", "County", "Placeholder County", "Warrant Service Officer", dt.date(2024, 11, 1)),
    ("FL", "Specimen County Sheriff's Office", "County", "Specimen County", "Task Force Model", dt.date(2025, 4, 15)),
    ("GA", "Illustration County Sheriff's Office", "County", "Illustration County", "Jail Enforcement Model", dt.date(2023, 6, 30)),
    ("NC", "Demo County Sheriff's Office", "County", "Demo County", "Warrant Service Officer", dt.date(2025, 1, 27)),
]
CONTACTS = [
    ("Example County Sheriff's Office", "Jordan Example", "100 Example Street", "Exampleton", "75001", "sheriff@example-county.example"),
    ("Sample County Sheriff's Office", "Riley Sample", "200 Sample Avenue", "Sampleville", "75002", "sheriff@sample-county.example"),
    ("Placeholder County Sheriff's Office", "Casey Placeholder", "300 Placeholder Road", "Placeholder City", "32001", "sheriff@placeholder-county.example"),
    ("Specimen County Sheriff's Office", "Morgan Specimen", "400 Specimen Way", "Specimen", "32002", "sheriff@specimen-county.example"),
    ("Illustration County Sheriff's Office", "Avery Illustration", "500 Illustration Blvd", "Illustration", "30001", "sheriff@illustration-county.example"),
    ("Demo County Sheriff's Office", "Taylor Demo", "600 Demo Lane", "Demoton", "27001", "sheriff@demo-county.example"),
]


def main() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Agencies"
    sheet.append(["EXAMPLE ROWS ONLY (invented agencies, in the layout of ICE's 287(g) "
                  "participating-agencies list; not ICE data)"])
    sheet.append(["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE",
                  "SIGNED", "MOA", "ADDENDUM"])
    for state, agency, kind, county, model, signed in AGENCIES:
        sheet.append([state, agency, kind, county, model, signed, "MOA (example)", ""])
        sheet.cell(sheet.max_row, 6).number_format = "mm/dd/yyyy"
    contacts = book.create_sheet("Contacts")
    contacts.append(["LAW ENFORCEMENT AGENCY", "SHERIFF", "TITLE", "SALUTATION", "ADDRESS",
                     "CITY", "ZIP", "EMAIL"])
    for agency, sheriff, street, city, zipcode, email in CONTACTS:
        contacts.append([agency, sheriff, "Sheriff", f"Dear Sheriff {sheriff.split()[-1]}:",
                         street, city, zipcode, email])
    book.properties.creator = "lettersmith example"
    fixed = dt.datetime(2026, 1, 1)
    book.properties.created = book.properties.modified = fixed
    OUT.parent.mkdir(parents=True, exist_ok=True)
    book.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
