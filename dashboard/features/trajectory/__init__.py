"""A trajectory's page: team and budget, coaching log, evaluation and the Vitrine summary's approval."""
