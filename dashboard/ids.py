"""Component ids, prefixed with their page's name."""

HOME_YEAR = "home-year"
HOME_KPIS = "home-kpis"
HOME_TABLE = "home-table"
HOME_TABLE_NOTE = "home-table-note"
HOME_TREND = "home-trend"
