"""claims: find the quantitative claims in news text, store them in SQLite, publish them.

>>> from claims import extract
>>> [(c.value, c.unit, c.qualifier) for c in extract("Ukraine fired up to 6,000 rounds daily.")]
[(6000.0, 'round / day', '<=')]
"""

from claims.extract import EXTRACTOR_VERSION, DocumentClaims, extract, extract_document
from claims.model import Claim, Document

__all__ = [
    "Claim",
    "Document",
    "DocumentClaims",
    "EXTRACTOR_VERSION",
    "extract",
    "extract_document",
]
__version__ = "0.1.0"
