"""The list of the programme's calls, with each call's selection and budget figures."""
