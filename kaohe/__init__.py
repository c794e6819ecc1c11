"""kaohe (考核): performance appraisal for enterprise service departments."""

__version__ = "0.1.0"
