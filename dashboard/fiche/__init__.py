"""The DNA fiche of a shopping area: rules, data assembly and the PDF (issue 5)."""
