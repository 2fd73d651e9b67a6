"""The expert roster of the Profploeg: VLAIO adds, changes, deactivates or removes an expert."""
