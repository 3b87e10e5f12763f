"""data.police.uk street-level files: one month, a folder of months, or the monthly archive zip.

Every month ever published loads: the current header (``Crime ID,Month,Reported by,Falls
within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context``)
and the early ones (no ``Crime ID``, no LSOA, ``Easting``/``Northing`` instead of longitude and
latitude), with the pre-2013 categories ("Violent crime", "Public disorder and weapons").

What real files contain, and what happens to it:

* anti-social behaviour rows (blank ``Crime ID``) go to ``asb_incidents`` with the reference
  ``<file>#<line>``; a crime with a blank ``Crime ID`` (early files have none) gets the same;
* a row repeating an earlier row of the same file in its ``Crime ID`` (non-blank) and in every
  field safecity keeps (month, force, coordinates, LSOA code, crime type, outcome, as parsed) is
  rejected as "duplicate of line N: …"; a repeated ``Crime ID`` with any kept field different is
  stored with ``duplicate_id`` true (police.uk counts it). ``Location``, ``LSOA name`` and
  ``Context`` are never kept, so they do not make two rows different;
* rows with no location are stored with blank LSOA and coordinates (a note counts them); rows
  outside the force's own area are stored (the area is chosen by LSOA at query time);
* LSOA codes of either vintage are kept as supplied in ``lsoa_code``, with ``lsoa11_code`` from the
  ONS exact-fit lookup; ``Location`` and ``LSOA name`` are never stored.

A batch's replacement scope is the force, so a newer file for the same force and month replaces
the one loaded before. The heavy lifting is vectorised (DuckDB, Arrow, numpy).

Modules, along the pipeline's seams (each imports only the public names of the one before):

* ``files``: finding the inputs (file, folder, glob, archive zip) and reading their header;
* ``stage``: reading, parsing and checking every row (the reject reasons), line numbers and
  duplicates; this is where police.uk rows are checked;
* ``write``: the contract Parquet files and the rejects CSV;
* ``load``: the pipeline that runs them and the adapter ``ADAPTER`` the ingest dispatcher uses.
"""
from .files import (FORCES, HEADER, KIND, OUTCOMES, REJECT_COLUMNS, REQUIRED, expand,
                    force_from_name, map_header, read_header, slug, sniff)
from .load import ADAPTER, FileResult, PoliceUkAdapter, load_file
from .stage import ASB, CATEGORIES

__all__ = ["ADAPTER", "ASB", "CATEGORIES", "FORCES", "FileResult", "HEADER", "KIND", "OUTCOMES",
           "PoliceUkAdapter", "REJECT_COLUMNS", "REQUIRED", "expand", "force_from_name",
           "load_file", "map_header", "read_header", "slug", "sniff"]
