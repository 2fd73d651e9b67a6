"""The call page of VLAIO: review, scoring grid, variety view, suggestion, decisions and decision letters."""
