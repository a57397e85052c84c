"""clean: repair, strip furniture, headline and dateline, identify the language.

>>> from dateline.clean import clean
>>> record = clean(raw_doc, published="2004-02-07")
"""

from dateline.clean.boilerplate import BoilerplateMemory
from dateline.clean.core import clean

__all__ = ["BoilerplateMemory", "clean"]
